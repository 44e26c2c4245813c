"""on_start through in-file bases with super(), helper methods of the class and of a TaskSet."""
from locust import HttpUser, SequentialTaskSet, task


class LoggedIn(HttpUser):
    abstract = True

    def on_start(self):
        self.login()

    def login(self):
        r = self.client.post("/login", json={"email": "base@example.com", "password": "pw"})
        self.client.headers.update({"Authorization": "Bearer " + r.json()["access_token"]})


class Shopper(LoggedIn):
    def on_start(self):
        super().on_start()
        self.client.get("/cart")

    @task
    def browse(self):
        self.open("/private", size=64)

    def open(self, path, size=16):
        self.client.get(f"{path}?size={size}")


class Flow(SequentialTaskSet):
    def open(self):
        self.client.get("/flow/open")

    @task
    def first(self):
        self.open()

    @task
    def second(self):
        self.client.get("/flow/second")
        self.interrupt()


class Flowing(LoggedIn):
    tasks = [Flow]
