import os
import random

from locust import HttpUser, task


class Values(HttpUser):
    def on_start(self):
        r = self.client.post("/login", json={"email": "a@b.c"})
        self.session = r.cookies[os.environ["COOKIE"]]

    @task
    def floats(self):
        self.client.get(f"/r/{random.uniform(1, 2)}")

    @task
    def named(self):
        self.client.get("/n", name=f"/n/{random.randint(1, 3)}")

    @task
    def env(self):
        self.client.get(os.environ.get("TARGET_PATH", "/default"))

    @task
    def state(self):
        self.counter = 1
        self.client.get("/state")

    @task
    def unknown_check(self):
        with self.client.get("/x", catch_response=True) as r:
            if len(r.content) < 10:
                r.failure("short")

    @task
    def stop(self):
        self.client.get("/bye")
        self.stop()

    @task
    def verify(self):
        self.client.get("/tls", verify=False)

    @task
    def relative(self):
        self.client.get(os.environ["ITEM_PATH"])

    def wait_time(self):
        return 1


class Drawn(HttpUser):
    shard = random.randint(1, 4)

    @task
    def shard_page(self):
        self.client.get(f"/shard/{self.shard}")
