"""Strings YAML cannot hold raw are escaped; the rest is written as UTF-8."""
from locust import HttpUser, task
class U(HttpUser):
    @task
    def t(self):
        self.client.post("/echo", json={"name": "Zoë 😀", "ctl": "a\x7fb\x85c\ufeff\u2028", "tab": "a\tb"}, name="/échο")
