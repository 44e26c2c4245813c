from locust import HttpUser, tag, task


def outside(user):
    user.client.get("/outside")


class Decorated(HttpUser):
    @task
    def one(self):
        self.client.get("/one")

    @task(3)
    def three(self):
        self.client.get("/three")

    @tag("slow", "reports")
    @task(weight=2)
    def two(self):
        """A docstring is not a request."""
        self.client.get("/two")
        self.client.get("/two/more")


class Listed(HttpUser):
    tasks = [outside]


class Weighted(HttpUser):
    def first(self):
        self.client.get("/first")

    def second(self):
        self.client.get("/second")

    tasks = {first: 4, second: 1}
