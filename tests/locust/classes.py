"""User classes: HttpUser and FastHttpUser, weight, host, abstract bases."""
from locust import HttpUser, task
from locust.contrib.fasthttp import FastHttpUser


class Base(HttpUser):
    abstract = True
    host = "http://127.0.0.1:8089"

    @task
    def home(self):
        self.client.get("/")


class Reader(Base):
    weight = 3


class Writer(FastHttpUser):
    weight = 1
    host = "http://127.0.0.1:8089"

    @task
    def write(self):
        self.client.post("/echo", data="hello")
