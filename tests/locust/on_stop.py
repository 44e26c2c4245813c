from locust import HttpUser, between, task


class Shopper(HttpUser):
    wait_time = between(1, 2)

    def on_start(self):
        r = self.client.post("/login", json={"email": "shopper@example.com", "password": "pw"})
        self.token = r.json()["access_token"]

    @task
    def browse(self):
        self.client.get("/items", headers={"Authorization": f"Bearer {self.token}"})

    def on_stop(self):
        self.client.post("/logout", headers={"Authorization": f"Bearer {self.token}"},
                         name="logout")
