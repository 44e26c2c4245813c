import random

from locust import HttpUser, task


class Member(HttpUser):
    def on_start(self):
        self.org_id = random.choice([1, 2, 3])
        self.email = f"member{random.randint(1, 1000)}@example.com"
        resp = self.client.post("/login", json={"email": self.email, "password": "pw"})
        self.token = resp.json()["access_token"]
        self.session = resp.cookies["session"]
        self.client.headers.update({"Authorization": f"Bearer {self.token}",
                                    "X-Session": self.session})
        r = self.client.get("/json?bytes=64", name="/json")
        self.first = r.json()["items"][0]["id"]
        self.request_id = r.headers["X-Request-Id"]

    @task
    def dashboard(self):
        self.client.get(f"/orgs/{self.org_id}/items/{self.first}",
                        headers={"X-Request-Id": self.request_id}, name="/orgs/{id}/items/{id}")


class Admin(HttpUser):
    ROLE = "admin"

    def on_start(self):
        suffix = random.randint(1, 99)
        response = self.client.post("/login", json={"email": f"admin{suffix}@example.com",
                                                    "password": "adminpass"})
        self.client.post("/audit", json={"who": f"admin{suffix}"})
        self.headers = {"Authorization": "Bearer " + response.json()["access_token"]}
        self.client.headers["X-Role"] = self.ROLE

    @task
    def private(self):
        self.client.get("/private", headers=self.headers)

    @task
    def refresh(self):
        r = self.client.post("/refresh", headers=self.headers)
        self.refreshed = r.json()["token"]
        self.client.get("/whoami", headers={"Authorization": f"Bearer {self.refreshed}"})
