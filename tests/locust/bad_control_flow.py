import random
import time

from locust import HttpUser, task


class Flow(HttpUser):
    @task
    def loop(self):
        for i in range(3):
            self.client.get(f"/page/{i}")

    @task
    def spin(self):
        while True:
            self.client.get("/spin")

    @task
    def branch(self):
        r = self.client.get("/json")
        if r.json()["items"]:
            self.client.get("/more")

    @task
    def guarded(self):
        try:
            self.client.get("/x")
        except Exception:
            pass

    @task
    def nap(self):
        self.client.get("/a")
        time.sleep(1)

    @task
    def twice(self):
        n = random.randint(1, 5)
        self.client.get(f"/a/{n}")
        self.client.get(f"/b/{n}")

    @task
    def empty(self):
        pass
