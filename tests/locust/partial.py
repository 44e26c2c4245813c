from locust import HttpUser, between, task


class Mixed(HttpUser):
    wait_time = between(1, 2)

    def on_start(self):
        self.client.post("/login", json={"email": "p@example.com", "password": "pw"})
        for page in range(2):
            self.client.get(f"/warm/{page}")

    @task(2)
    def good(self):
        self.client.get("/good")

    @task
    def loops(self):
        for i in range(2):
            self.client.get("/bad")
