#!/usr/bin/env python3
"""fuzz_import_locust: the Locust converter on mutated locustfiles (not run by ctest).

Takes the fixtures of tests/locust/, replaces one to three expressions or statements in
each with ones taken from the Python standard library's own source, and converts the
result with --partial semantics. A crash (any exception but a Gap) is a bug; so is a
scenario written without a gap that `barrage validate` refuses.

    python3 tests/tools/fuzz_import_locust.py [--seed N] [--rounds N] [--barrage build/barrage]
"""
import argparse
import ast
import contextlib
import copy
import glob
import io
import os
import random
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(SRC, "scenarios", "locust"))
import import_locust  # noqa: E402


def corpus(limit):
    """Expressions and simple statements from the standard library's source."""
    exprs, stmts = [], []
    for path in sorted(glob.glob(os.path.join(os.path.dirname(ast.__file__), "*.py")))[:80]:
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
        except (SyntaxError, UnicodeDecodeError):
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.expr) and len(exprs) < limit:
                exprs.append(n)
            elif isinstance(n, ast.stmt) and len(stmts) < limit and \
                    not isinstance(n, (ast.FunctionDef, ast.ClassDef)):
                stmts.append(n)
    return exprs, stmts


def mutate(tree, exprs, stmts, rng):
    slots = [(parent, field, i) for parent in ast.walk(tree)
             for field, val in ast.iter_fields(parent)
             for i, v in (enumerate(val) if isinstance(val, list) else [(None, val)])
             if isinstance(v, (ast.expr, ast.stmt))]
    for _ in range(rng.randint(1, 3)):
        parent, field, i = rng.choice(slots)
        cur = getattr(parent, field) if i is None else getattr(parent, field)[i]
        new = copy.deepcopy(rng.choice(exprs if isinstance(cur, ast.expr) else stmts))
        if i is None:
            setattr(parent, field, new)
        else:
            getattr(parent, field)[i] = new


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--rounds", type=int, default=3000)
    p.add_argument("--barrage", default=os.path.join(SRC, "build", "barrage"))
    opts = p.parse_args()
    rng = random.Random(opts.seed)
    exprs, stmts = corpus(20000)
    fixtures = []
    for path in sorted(glob.glob(os.path.join(SRC, "tests", "locust", "*.py"))):
        if not os.path.basename(path).startswith("test_"):
            with open(path, encoding="utf-8") as f:
                fixtures.append(ast.parse(f.read()))
    args = import_locust.parse_args(["x.py", "--partial"])
    crashes = invalid = clean = 0
    env = dict(os.environ, ITEM_PATH="items", ITEM_ID="7")
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(opts.rounds):
            tree = copy.deepcopy(rng.choice(fixtures))
            mutate(tree, exprs, stmts, rng)
            try:
                src = ast.unparse(ast.fix_missing_locations(tree))
                ast.parse(src)
            except (SyntaxError, ValueError, TypeError, AttributeError):
                continue
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    text, msgs = import_locust.convert_text(src, "x.py", args)
            except RecursionError:
                continue
            except Exception:
                crashes += 1
                traceback.print_exc()
                print(src, file=sys.stderr)
                continue
            if text is None or msgs:
                continue
            clean += 1
            path = os.path.join(tmp, "s.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            res = subprocess.run([opts.barrage, "validate", path], env=env, capture_output=True,
                                 text=True)
            if res.returncode != 0 and "is not set" not in res.stderr:
                invalid += 1
                print("round %d: validate refused:\n%s\n%s" % (n, res.stderr, src),
                      file=sys.stderr)
    print("rounds %d: %d converted without gaps, %d crashes, %d refused by validate"
          % (opts.rounds, clean, crashes, invalid))
    return 1 if crashes or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
