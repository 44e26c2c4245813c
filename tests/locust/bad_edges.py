"""Inputs that once crashed the converter or produced scenarios validate refused."""
from locust import HttpUser, between, task

HEADER = "X-Name"


class Edges(HttpUser):
    host = "localhost:8089"
    wait_time = between(3, 1)

    @task
    def bad_header_name(self):
        self.client.get("/a", headers={"Bad Name": "x"})

    @task
    def line_break(self):
        self.client.get("/b", headers={"X-Note": "one\ntwo"})

    @task
    def list_key(self):
        self.client.post("/c", json={[1]: "x"})

    @task
    def tuple_key(self):
        self.client.post("/d", data={(1, 2): "x"})

    @task
    def odd_status(self):
        with self.client.get("/e", catch_response=True) as r:
            if r.status_code not in ("200", 1):
                r.failure("odd")

    @task
    def computed_header(self):
        r = self.client.get("/f")
        self.client.get("/g", headers={"X-Copy": r.headers[HEADER + "s"]})
