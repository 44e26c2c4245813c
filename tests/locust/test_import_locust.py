"""test_import_locust: barrage import-locust on every locustfile of tests/locust/.

NAME.py with NAME.yaml: converts (exit 0) to exactly NAME.yaml, which barrage validate accepts.
NAME.py with NAME.expected: stderr is exactly NAME.expected; exit 2 and nothing on stdout,
unless NAME.args has --partial (then exit 0 and NAME.yaml too). NAME.args: extra arguments.
BARRAGE_REGEN=1 rewrites the expected files from the current output (review the diff).
Run from ctest (unit.import_locust) or: BARRAGE_BUILD_DIR=build python3 -m unittest discover
-s tests/locust."""
import glob
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(os.environ.get("BARRAGE_BUILD_DIR",
                                       os.path.join(HERE, "..", "..", "build")))
BARRAGE = os.path.join(BUILD, "barrage")
REGEN = os.environ.get("BARRAGE_REGEN") == "1"
# urls.py reads these through env('...'), which validate resolves.
ENV = dict(os.environ, ITEM_PATH="items", ITEM_ID="7")


def run(args, cwd=HERE, env=ENV):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def cases():
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "*.py"))
                  if not os.path.basename(p).startswith("test_"))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Fixtures(unittest.TestCase):
    def test_every_locustfile(self):
        names = cases()
        self.assertGreaterEqual(len(names), 10)
        for name in names:
            with self.subTest(name=name):
                self.check_case(name)

    def check_case(self, name):
        base = os.path.join(HERE, name)
        extra = read(base + ".args").split() if os.path.exists(base + ".args") else []
        res = run([BARRAGE, "import-locust", name + ".py"] + extra)
        has_yaml, has_expected = os.path.exists(base + ".yaml"), os.path.exists(base + ".expected")
        if REGEN:
            if res.returncode == 0:
                write(base + ".yaml", res.stdout)
            if res.stderr:
                write(base + ".expected", res.stderr)
            return
        self.assertTrue(has_yaml or has_expected, "%s.py has no .yaml or .expected" % name)
        if has_expected:
            self.assertEqual(res.stderr, read(base + ".expected"))
        else:
            self.assertEqual(res.stderr, "")
        if has_yaml:
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertEqual(res.stdout, read(base + ".yaml"))
            self.validate(name, res.stdout)
        else:
            self.assertEqual(res.returncode, 2)
            self.assertEqual(res.stdout, "")

    def validate(self, name, text):
        """Round trip: what import-locust writes, barrage validate accepts."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, name + ".yaml")
            write(path, text)
            res = run([BARRAGE, "validate", path])
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)


class Command(unittest.TestCase):
    def test_output_file_and_nothing_on_failure(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "s.yaml")
            res = run([BARRAGE, "import-locust", "waits.py", "-o", out])
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertEqual(res.stdout, "")
            self.assertEqual(read(out), read(os.path.join(HERE, "waits.yaml")))
            bad = os.path.join(tmp, "bad.yaml")
            res = run([BARRAGE, "import-locust", "bad_module.py", "-o", bad])
            self.assertEqual(res.returncode, 2)
            self.assertFalse(os.path.exists(bad))

    def test_syntax_error_and_missing_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "broken.py")
            write(path, "from locust import HttpUser\n\nclass U(HttpUser:\n    pass\n")
            res = run([BARRAGE, "import-locust", path])
            self.assertEqual(res.returncode, 2)
            self.assertTrue(res.stderr.startswith(path + ":3:"), res.stderr)
            self.assertIn("not converted: Python syntax error", res.stderr)
            res = run([BARRAGE, "import-locust", os.path.join(tmp, "nope.py")])
            self.assertEqual(res.returncode, 2)
            self.assertIn("nope.py: cannot read: No such file or directory", res.stderr)

    def test_no_user_class(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "empty.py")
            write(path, "X = 1\n")
            res = run([BARRAGE, "import-locust", path])
            self.assertEqual(res.returncode, 2)
            self.assertIn(path + ":1:1: not converted: no HttpUser or FastHttpUser class",
                          res.stderr)

    def test_never_runs_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "ran")
            path = os.path.join(tmp, "side.py")
            write(path, "from locust import HttpUser, task\nopen(%r, 'w').close()\n"
                        "class U(HttpUser):\n    x = open(%r, 'w')\n    @task\n"
                        "    def t(self):\n        self.client.get('/')\n" % (marker, marker))
            res = run([BARRAGE, "import-locust", path, "--partial"])
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn("get: \"/\"", res.stdout)
            self.assertFalse(os.path.exists(marker))

    def test_usage_errors(self):
        res = run([BARRAGE, "import-locust"])
        self.assertEqual(res.returncode, 2)
        self.assertIn("import-locust needs a LOCUSTFILE.py", res.stderr)
        res = run([BARRAGE, "import-locust", "waits.py", "-t", "soon"])
        self.assertEqual(res.returncode, 2)
        self.assertIn("-t/--run-time wants a duration", res.stderr)

    def test_python3_missing(self):
        with tempfile.TemporaryDirectory() as tmp:
            res = run([BARRAGE, "import-locust", "waits.py"], env=dict(ENV, PATH=tmp))
            self.assertEqual(res.returncode, 2)
            self.assertIn("import-locust needs python3, which is not on PATH", res.stderr)

    def test_script_beside_or_in_libexec(self):
        script = os.path.join(BUILD, "import_locust.py")
        with tempfile.TemporaryDirectory() as tmp:
            bindir = os.path.join(tmp, "bin")
            os.makedirs(bindir)
            shutil.copy(BARRAGE, bindir)
            res = run([os.path.join(bindir, "barrage"), "import-locust", "waits.py"])
            self.assertEqual(res.returncode, 2)
            self.assertIn("the converter import_locust.py is missing", res.stderr)
            libexec = os.path.join(tmp, "libexec", "barrage")
            os.makedirs(libexec)
            shutil.copy(script, libexec)
            os.chmod(os.path.join(libexec, "import_locust.py"), stat.S_IRUSR)
            res = run([os.path.join(bindir, "barrage"), "import-locust", "waits.py"])
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertEqual(res.stdout, read(os.path.join(HERE, "waits.yaml")))


if __name__ == "__main__":
    unittest.main()
