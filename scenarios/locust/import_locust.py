#!/usr/bin/env python3
"""import_locust: a Locust file -> a barrage scenario (YAML), read with ast, never run.

Usage: import_locust.py LOCUSTFILE.py [-o SCENARIO.yaml] [--partial] [-u N] [-r R] [-t T] [-H HOST]

What it cannot convert exactly is listed on stderr as
    FILE:LINE:COL: not converted: <what> — <what to do instead>
and the exit status is 2 (nothing written) unless --partial, which writes what it
could with a comment at each gap. Exit 0: converted. Standard library only.
"""

import argparse
import ast
import json
import os
import re
import sys
import traceback

USER_BASES = {"HttpUser", "FastHttpUser"}
OTHER_USER_BASES = {"User"}
TASKSET_BASES = {"TaskSet"}
SEQ_TASKSET_BASES = {"SequentialTaskSet"}
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
RESERVED_VARS = {"row", "seq", "user_id", "worker_id"}
LOG_CALLS = {"print", "logging", "logger", "log"}
DASH = "\u2014"


class Gap(Exception):
    """One construct that cannot be converted: where, what, what to do instead."""

    def __init__(self, node, what, instead):
        super().__init__(what)
        self.line = getattr(node, "lineno", 0)
        self.col = getattr(node, "col_offset", -1) + 1
        self.what = what
        self.instead = instead

    def text(self, file):
        return "%s:%d:%d: not converted: %s %s %s" % (file, self.line, self.col, self.what,
                                                      DASH, self.instead)


# --------------------------------------------------------------------------- values

class Val:
    """An expression's value as barrage can express it.

    kind "const": py holds a Python constant (str, int, float, bool, None, list, dict).
    kind "tmpl":  text is a template ("{{ ... }}" parts), typ the Python type it stands for
                  ("str", "int", "float", "uuid"); random: it changes at each render;
                  safe: its rendering never needs JSON escaping.
    kind "resp":  a value taken from a response: req and spec ("json:$.a", "header:X").
    kind "obj":   a dict or list whose items are Vals (items).
    kind "respobj": a response object (req).
    """

    def __init__(self, kind, **kw):
        self.kind = kind
        self.py = kw.get("py")
        self.text = kw.get("text", "")
        self.typ = kw.get("typ", "str")
        self.random = kw.get("random", False)
        self.safe = kw.get("safe", True)
        self.req = kw.get("req")
        self.spec = kw.get("spec")
        self.hint = kw.get("hint")
        self.items = kw.get("items")
        self.node = kw.get("node")


def const(v):
    return Val("const", py=v)


def py_str(v):
    """str(v) as Python prints it inside an f-string."""
    if isinstance(v, (list, dict, tuple)):
        return None
    return str(v)


def tmpl_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def safe_text(s):
    return not any(c in s for c in '"\\') and all(ord(c) >= 0x20 for c in s)


# --------------------------------------------------------------------------- model

class Req:
    def __init__(self, method, node):
        self.method = method
        self.node = node
        self.path = ""
        self.name = None
        self.headers = []  # (name, template text)
        self.query = []
        self.json = None  # YAML-able tree (Val leaves)
        self.form = None
        self.body = None
        self.timeout_ms = None
        self.follow = None
        self.captures = []  # (var, spec)
        self.expect = {}
        self.notes = []


class Task:
    def __init__(self, name, weight, node):
        self.name = name
        self.weight = weight
        self.node = node
        self.steps = []  # Req, or a Gap (partial)
        self.notes = []


class UserClass:
    def __init__(self, name, node):
        self.name = name
        self.node = node
        self.weight = 1
        self.think = None
        self.host = None
        self.vars = []  # (name, template)
        self.headers = []
        self.on_start = []
        self.on_stop = []
        self.tasks = []
        self.notes = []
        self.gaps = []


# --------------------------------------------------------------------------- converter

class Converter:
    def __init__(self, file, tree):
        self.file = file
        self.tree = tree
        self.gaps = []
        self.consts = {}  # module name -> ast node of its value
        self.funcs = {}  # module name -> FunctionDef
        self.classes = {}  # name -> ClassDef
        self.imports = {}  # local name -> "module.attr"

    # ------------------------------------------------------------------ module level

    def gap(self, node, what, instead):
        raise Gap(node, what, instead)

    def note_gap(self, g, where=None):
        if any((x.line, x.col, x.what) == (g.line, g.col, g.what) for x in self.gaps):
            return  # the same construct met twice (a helper inlined again, a retried value)
        self.gaps.append(g)
        if where is not None:
            where.append(g)

    def scan_module(self):
        for st in self.tree.body:
            try:
                self.scan_statement(st)
            except Gap as g:
                self.note_gap(g)

    def scan_statement(self, st):
        if isinstance(st, ast.Import):
            for a in st.names:
                self.imports[a.asname or a.name] = a.name
        elif isinstance(st, ast.ImportFrom):
            for a in st.names:
                self.imports[a.asname or a.name] = "%s.%s" % (st.module, a.name)
        elif isinstance(st, ast.Assign) and len(st.targets) == 1 and \
                isinstance(st.targets[0], ast.Name):
            self.consts[st.targets[0].id] = st.value
        elif isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.value:
            self.consts[st.target.id] = st.value
        elif isinstance(st, ast.FunctionDef):
            for d in st.decorator_list:
                if "events" in ast.unparse(d):
                    self.gap(d, "event listener %s()" % st.name,
                             "barrage has no event hooks; do the setup outside the run "
                             "(before barrage run) or drop it")
            self.funcs[st.name] = st
        elif isinstance(st, ast.ClassDef):
            self.classes[st.name] = st
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            pass  # docstring
        elif isinstance(st, ast.If) and "__name__" in ast.unparse(st.test):
            pass  # if __name__ == "__main__": runs Locust as a library, not part of the test
        elif "events" in ast.unparse(st):
            self.gap(st, "event hook (%s)" % first_line(st),
                     "barrage has no event hooks; do the setup outside the run or drop it")
        else:
            self.gap(st, "module-level statement %s" % first_line(st),
                     "keep only constants, helpers and classes at module level")

    def root_kind(self, cls, seen=()):
        """"user", "taskset", "seq", "other-user", "shape" or None, through in-file bases."""
        for b in cls.bases:
            name = base_name(b)
            if name not in self.classes and name in self.imports:
                name = self.imports[name].split(".")[-1]  # from locust import HttpUser as H
            if name in USER_BASES:
                return "user"
            if name in TASKSET_BASES:
                return "taskset"
            if name in SEQ_TASKSET_BASES:
                return "seq"
            if name in OTHER_USER_BASES:
                return "other-user"
            if name == "LoadTestShape":
                return "shape"
            if name in self.classes and name not in seen:
                k = self.root_kind(self.classes[name], seen + (cls.name,))
                if k:
                    return k
        return None

    def mro(self, cls):
        """The class and its in-file bases, most derived first."""
        out = [cls]
        for b in cls.bases:
            name = base_name(b)
            if name in self.classes and self.classes[name] not in out:
                out.extend(c for c in self.mro(self.classes[name]) if c not in out)
        return out

    def class_attr(self, cls, name):
        for c in self.mro(cls):
            for st in c.body:
                if isinstance(st, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == name for t in st.targets):
                    return st
                if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) \
                        and st.target.id == name and st.value:
                    return st
        return None

    def class_method(self, cls, name):
        for c in self.mro(cls):
            for st in c.body:
                if isinstance(st, ast.FunctionDef) and st.name == name:
                    return st
        return None

    def convert(self):
        self.scan_module()
        users = []
        for name, cls in self.classes.items():
            kind = self.root_kind(cls)
            if kind == "shape":
                self.note_gap(Gap(cls, "LoadTestShape %s" % name,
                                  "write its ramp as load: stages: [{duration: 30s, users: 50}, ...] "
                                  "or --stages"))
                continue
            if kind == "other-user":
                self.note_gap(Gap(cls, "User subclass %s with a custom client" % name,
                                  "barrage speaks HTTP only: derive from HttpUser or "
                                  "FastHttpUser"))
                continue
            if kind is None and self.task_entries_quiet(cls):
                bases = ", ".join(ast.unparse(b) for b in cls.bases) or "object"
                self.note_gap(Gap(cls, "class %s with tasks derives from %s, not defined in this "
                                  "file" % (name, bases),
                                  "put the base class in this file, or derive from HttpUser"))
                continue
            if kind != "user":
                continue
            ab = self.class_attr(cls, "abstract")
            if ab is not None and ab in cls.body and isinstance(ab.value, ast.Constant) \
                    and ab.value.value is True:
                continue
            users.append(self.convert_user(cls))
        return users

    # ------------------------------------------------------------------ user classes

    def convert_user(self, cls):
        u = UserClass(cls.name, cls)
        gaps_before = len(self.gaps)
        self.user = u
        self.cls = cls
        self.ts_cls = None  # the TaskSet whose methods are being converted
        self.current_fn = None
        self.self_attrs = {}  # self.x -> Val (captures, per-user vars, symbolic values)
        self._pending = set()
        self.class_attrs = {}  # self.x -> ast node of a class attribute, read lazily
        for c in reversed(self.mro(cls)):
            for st in c.body:
                self.try_class_statement(u, c, st)
        self.try_(u.gaps, lambda: self.wait_time(u, cls, self.class_attr(cls, "wait_time")))
        start = self.class_method(cls, "on_start")
        if start:
            self.try_(u.gaps, lambda: self.run_body(start.body, "on_start", u.on_start,
                                                    {"self": "user"}, start))
        stop = self.class_method(cls, "on_stop")
        if stop and not is_trivial(stop.body):
            self.try_(u.gaps, lambda: self.run_body(stop.body, "on_stop", u.on_stop,
                                                    {"self": "user"}, stop))
        self.try_(u.gaps, lambda: self.collect_tasks(u, cls, u.tasks, top=True))
        if not u.tasks and len(self.gaps) == gaps_before:
            self.note_gap(Gap(cls, "user class %s without tasks" % cls.name,
                              "add an @task method that makes a request"), u.gaps)
        return u

    def try_(self, where, fn):
        try:
            fn()
        except Gap as g:
            self.note_gap(g, where)

    def try_class_statement(self, u, c, st):
        try:
            self.class_statement(u, c, st)
        except Gap as g:
            self.note_gap(g, u.gaps)

    def class_statement(self, u, c, st):
        if not isinstance(st, (ast.Assign, ast.AnnAssign)):
            return
        targets = st.targets if isinstance(st, ast.Assign) else [st.target]
        for t in targets:
            if not isinstance(t, ast.Name):
                continue
            if t.id == "weight":
                w = self.const_value(st.value)
                if not isinstance(w, int) or isinstance(w, bool) or w < 0:
                    self.gap(st.value, "weight %s" % ast.unparse(st.value),
                             "write an integer weight >= 0")
                u.weight = w
            elif t.id == "fixed_count":
                self.gap(st, "fixed_count", "barrage splits users by weight only; give the "
                         "class a weight that yields the count at your -u")
            elif t.id == "host":
                h = self.const_value(st.value)
                if not isinstance(h, str) or not re.match(r"https?://[^\s/]", h):
                    self.gap(st.value, "host %s" % ast.unparse(st.value),
                             "write it as a string http(s)://HOST[:PORT]")
                u.host = h
            elif t.id in ("wait_time", "tasks", "abstract"):
                pass
            elif t.id in ("network_timeout", "connection_timeout"):
                u.notes.append("%s (FastHttpUser) not carried over: use defaults: timeout:"
                               % t.id)
            else:
                # A class attribute read as self.NAME, evaluated where it is used.
                self.class_attrs[t.id] = st.value
                self.self_attrs.pop(t.id, None)

    def wait_time(self, u, cls, st):
        meth = self.class_method(cls, "wait_time")
        if meth is not None:
            self.gap(meth, "wait_time as a method",
                     "use between(a, b), constant(c), constant_pacing(c) or constant_throughput(r)")
        if st is None:
            return  # Locust 2: no wait by default
        v = st.value
        if not isinstance(v, ast.Call):
            self.gap(v, "wait_time = %s" % ast.unparse(v),
                     "use between(a, b), constant(c), constant_pacing(c) or constant_throughput(r)")
        fn = call_name(v.func)
        args = [self.const_value(a) for a in v.args]
        if not all(is_number(a) and a >= 0 for a in args) or v.keywords:
            self.gap(v, "wait_time = %s" % ast.unparse(v), "use literal numbers of seconds >= 0")
        if fn == "between" and len(args) == 2 and args[0] > args[1]:
            self.gap(v, "wait_time = %s" % ast.unparse(v), "between(a, b) needs a <= b")
        if fn == "between" and len(args) == 2:
            u.think = "between %s %s" % (seconds(args[0]), seconds(args[1]))
        elif fn == "constant" and len(args) == 1:
            u.think = "none" if args[0] == 0 else "constant %s" % seconds(args[0])
        elif fn == "constant_pacing" and len(args) == 1:
            u.think = "pacing %s" % seconds(args[0])
        elif fn == "constant_throughput" and len(args) == 1 and args[0] > 0:
            u.think = "pacing %s" % seconds(1.0 / args[0])
            u.notes.append("constant_throughput(%s) is pacing 1/%s s: each task starts %s after "
                           "the previous one started" % (args[0], args[0], seconds(1.0 / args[0])))
        else:
            self.gap(v, "wait_time = %s" % ast.unparse(v),
                     "use between(a, b), constant(c), constant_pacing(c) or constant_throughput(r)")
        if u.think == "none":
            u.think = None

    # ------------------------------------------------------------------ tasks

    def task_entries(self, cls):
        """(weight, target node, where) in Locust's order: tasks = ... then @task methods."""
        out = []
        for c in reversed(self.mro(cls)):
            for st in c.body:
                if isinstance(st, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "tasks"
                                                      for t in st.targets):
                    v = st.value
                    if isinstance(v, (ast.List, ast.Tuple)):
                        out.extend((1, e, e) for e in v.elts)
                    elif isinstance(v, ast.Dict):
                        for k, w in zip(v.keys, v.values):
                            n = self.const_value(w)
                            if not isinstance(n, int) or n < 0:
                                self.gap(w, "task weight %s" % ast.unparse(w), "write an integer")
                            out.append((n, k, k))
                    else:
                        self.gap(v, "tasks = %s" % ast.unparse(v),
                                 "write tasks as a list or a {task: weight} dict")
        for c in reversed(self.mro(cls)):
            for st in c.body:
                if isinstance(st, ast.FunctionDef):
                    w = self.task_weight(st)
                    if w is not None:
                        out.append((w, st, st))
                elif isinstance(st, ast.ClassDef) and any(self.task_weight_deco(d) is not None
                                                          for d in st.decorator_list):
                    out.append((self.task_weight(st), st, st))
        return out

    def task_entries_quiet(self, cls):
        """True if cls declares tasks (tasks = ... or @task methods)."""
        try:
            return bool(self.task_entries(cls))
        except Gap:
            return True

    def task_weight_deco(self, d):
        if isinstance(d, ast.Name) and d.id == "task" or \
                isinstance(d, ast.Attribute) and d.attr == "task":
            return 1
        if isinstance(d, ast.Call) and call_name(d.func) == "task":
            args = list(d.args) + [k.value for k in d.keywords if k.arg == "weight"]
            if not args:
                return 1
            w = self.const_value(args[0])
            if not isinstance(w, int) or w < 0:
                self.gap(d, "@task(%s)" % ast.unparse(args[0]), "write an integer weight")
            return w
        return None

    def task_weight(self, fn):
        for d in fn.decorator_list:
            w = self.task_weight_deco(d)
            if w is not None:
                return w
        return None

    def tags(self, fn):
        out = []
        for d in getattr(fn, "decorator_list", []):
            if isinstance(d, ast.Call) and call_name(d.func) == "tag":
                out.extend(str(self.const_value(a)) for a in d.args)
        return out

    def resolve_task(self, node, owner):
        """A task entry's target: a FunctionDef (method or module function) or a ClassDef."""
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            return node
        if isinstance(node, ast.Name):
            if node.id in self.classes:
                return self.classes[node.id]
            if node.id in self.funcs:
                return self.funcs[node.id]
            m = self.class_method(owner, node.id)
            if m:
                return m
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in self.classes:
            m = self.class_method(self.classes[node.value.id], node.attr)
            if m:
                return m
        self.gap(node, "task %s" % ast.unparse(node),
                 "name a method, a function or a TaskSet class of this file")

    def collect_tasks(self, u, cls, out, top):
        entries = self.task_entries(cls)
        if not entries:
            self.gap(cls, "user class %s without tasks" % cls.name,
                     "add an @task method that makes a request")
        for w, node, where in entries:
            try:
                target = self.resolve_task(node, cls)
                if isinstance(target, ast.ClassDef):
                    self.taskset_tasks(u, target, w, len(entries), out, where)
                else:
                    out.append(self.function_task(target, w, cls))
            except Gap as g:
                self.note_gap(g, out)

    def function_task(self, fn, w, owner):
        t = Task(fn.name, w, fn)
        tg = self.tags(fn)
        if tg:
            t.notes.append("@tag(%s): barrage has no tags; every task runs"
                           % ", ".join(repr(x) for x in tg))
        selfname = fn.args.args[0].arg if fn.args.args else "self"
        self.run_body(fn.body, "task", t.steps, {selfname: "user"}, fn)
        if not any(isinstance(s, Req) for s in t.steps) and \
                not any(isinstance(s, Gap) for s in t.steps):
            self.gap(fn, "task %s makes no request" % fn.name,
                     "barrage tasks are requests; drop the task or make it send one")
        return t

    def taskset_tasks(self, u, ts, w, n_siblings, out, where):
        outer, self.ts_cls = self.ts_cls, ts
        try:
            self.taskset_body(u, ts, w, n_siblings, out, where)
        finally:
            self.ts_cls = outer

    def taskset_body(self, u, ts, w, n_siblings, out, where):
        kind = self.root_kind(ts)
        if kind not in ("taskset", "seq"):
            self.gap(where, "task class %s" % ts.name,
                     "only TaskSet and SequentialTaskSet classes can be tasks")
        entries = self.task_entries(ts)
        subs = []
        for sw, node, swhere in entries:
            target = self.resolve_task(node, ts)
            if isinstance(target, ast.ClassDef):
                self.gap(swhere, "TaskSet %s nested in TaskSet %s" % (target.name, ts.name),
                         "flatten the nesting: barrage tasks are one level of steps")
            subs.append((sw, target))
        if not subs:
            self.gap(ts, "TaskSet %s without tasks" % ts.name, "add @task methods")
        on_start = []
        st = self.class_method(ts, "on_start")
        if st:
            self.run_body(st.body, "on_start", on_start, {"self": "user"}, st)
        stop = self.class_method(ts, "on_stop")
        if stop and not is_trivial(stop.body):
            self.gap(stop, "on_stop of TaskSet %s" % ts.name,
                     "barrage has no teardown step; make it a step of the task")
        wt = self.class_attr(ts, "wait_time")
        if wt is not None:
            self.gap(wt, "wait_time of TaskSet %s" % ts.name,
                     "barrage thinks per user class: move wait_time to the user class")
        interrupts = [self.ends_with_interrupt(fn) for _, fn in subs]
        if kind == "seq":
            steps_fns = []
            for sw, fn in subs:
                steps_fns.extend([fn] * sw)
            last = steps_fns[-1] if steps_fns else None
            for fn in steps_fns[:-1]:
                if self.ends_with_interrupt(fn) is not None or self.has_interrupt(fn):
                    self.gap(fn, "self.interrupt() before the last task of %s" % ts.name,
                             "move it to the last task: the sequence becomes one task of steps")
            if last is not None and self.ends_with_interrupt(last) is None and n_siblings > 1:
                self.gap(ts, "SequentialTaskSet %s never calls self.interrupt()" % ts.name,
                         "a user that enters it never leaves: end its last task with "
                         "self.interrupt(), or make it the class's only task")
            t = Task(ts.name, w, ts)
            t.steps.extend(on_start)
            for fn in steps_fns:
                t.steps.extend(self.function_task(fn, 1, ts).steps)
            if self.user.think:
                t.notes.append("Locust waits %s between the tasks of %s; barrage runs these "
                               "steps back to back and thinks after the task"
                               % (self.user.think, ts.name))
            out.append(t)
            return
        # A random TaskSet: exact as weighted tasks when each task leaves it (interrupt) or
        # when it is the class's only task (the user never leaves it).
        if all(i is not None for i in interrupts):
            total = sum(sw for sw, _ in subs)
            for (sw, fn), resched in zip(subs, interrupts):
                t = self.function_task(fn, 1, ts)
                t.name = "%s.%s" % (ts.name, fn.name)
                t.weight = (w, sw, total)  # scaled by scale_weights
                t.steps[0:0] = on_start
                if resched and self.user.think:
                    t.notes.append("self.interrupt() re-schedules at once in Locust (no wait "
                                   "after this task); barrage thinks after it")
                out.append(t)
        elif n_siblings == 1 and all(i is None for i in interrupts):
            self.user.on_start.extend(on_start)
            for sw, fn in subs:
                t = self.function_task(fn, sw, ts)
                t.name = "%s.%s" % (ts.name, fn.name)
                out.append(t)
        else:
            self.gap(ts, "TaskSet %s whose tasks do not all end with self.interrupt()" % ts.name,
                     "end every task of it with self.interrupt() (one task per visit), or make "
                     "it the class's only task")

    def ends_with_interrupt(self, fn):
        """None if fn's body does not end with self.interrupt(); else its reschedule flag."""
        body = [s for s in fn.body if not is_docstring(s)]
        if not body:
            return None
        last = body[-1]
        if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and \
                ast.unparse(last.value.func) == "self.interrupt":
            for k in last.value.keywords:
                if k.arg == "reschedule":
                    return bool(self.const_value(k.value))
            if last.value.args:
                return bool(self.const_value(last.value.args[0]))
            return True
        return None

    def has_interrupt(self, fn):
        return any(isinstance(n, ast.Call) and ast.unparse(n.func) == "self.interrupt"
                   for n in ast.walk(fn))

    # ------------------------------------------------------------------ statements

    def run_body(self, body, where, out, scope, fn, depth=0):
        """Converts the statements of a task, on_start or on_stop into requests appended to
        out.

        scope maps a local name to a Val (or "user" for self). Gaps are raised in a task
        (the whole task is left out) and collected one by one in on_start and on_stop."""
        env = dict(scope)
        uses = count_names(body)
        outer, self.current_fn = self.current_fn, fn
        try:
            for st in body:
                try:
                    self.statement(st, where, out, env, uses, depth)
                except Gap as g:
                    if where in ("on_start", "on_stop"):
                        self.note_gap(g, out)
                    else:
                        raise
        finally:
            self.current_fn = outer

    def bind_arguments(self, fn, call, env, skip_self):
        """The scope of fn called as call: its parameters bound to the arguments' values (a
        random value used twice in fn's body is refused: Python draws it once)."""
        a = fn.args
        if a.vararg or a.kwarg or a.kwonlyargs or any(k.arg is None for k in call.keywords):
            self.gap(call, "%s() with *args/**kwargs" % fn.name, "use plain parameters")
        params = [p.arg for p in a.args]
        selfname = params.pop(0) if skip_self and params else None
        defaults = dict(zip(params[len(params) - len(a.defaults):], a.defaults))
        if len(call.args) > len(params):
            self.gap(call, "%s() given too many arguments" % fn.name, "fix the call")
        vals = {p: self.value(arg, env) for p, arg in zip(params, call.args)}
        for k in call.keywords:
            if k.arg not in params:
                self.gap(call, "%s() has no parameter %s" % (fn.name, k.arg), "fix the call")
            vals[k.arg] = self.value(k.value, env)
        for p in params:
            if p not in vals:
                if p not in defaults:
                    self.gap(call, "%s() misses argument %s" % (fn.name, p), "pass it")
                vals[p] = self.value(defaults[p], {})
        uses = count_names(fn.body)
        for p, v in vals.items():
            if v.kind == "tmpl" and v.random and uses.get(p, 0) > 1:
                self.gap(call, "random argument %s used more than once in %s()" % (p, fn.name),
                         "barrage draws a new value at each use")
        scope = {k: v for k, v in env.items() if v == "user"}
        if selfname:
            scope[selfname] = "user"
        scope.update(vals)
        return scope

    def context_class(self):
        """The class whose method runs now: a TaskSet's, or the user class."""
        return self.ts_cls or self.cls

    def super_call(self, name, where, out, depth):
        """super().NAME() inside NAME: the next definition of NAME up the in-file bases (none:
        Locust's own, which does nothing)."""
        defs = [st for c in self.mro(self.context_class()) for st in c.body
                if isinstance(st, ast.FunctionDef) and st.name == name]
        at = defs.index(self.current_fn) if self.current_fn in defs else -1
        if 0 <= at < len(defs) - 1:
            self.run_body(defs[at + 1].body, where, out, {"self": "user"}, defs[at + 1],
                          depth + 1)

    def statement(self, st, where, out, env, uses, depth):
        if is_docstring(st) or isinstance(st, ast.Pass):
            return
        if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
            call = st.value
            fname = ast.unparse(call.func)
            if self.is_client_call(call, env):
                out.append(self.request(call, env))
                return
            if fname.endswith("client.headers.update"):
                self.header_update(call, where, env)
                return
            if fname.split(".")[0] in LOG_CALLS:
                self.last_notes(out).append("dropped %s (a log line)" % first_line(st))
                return
            if fname == "self.interrupt":
                return  # handled by taskset_tasks
            m = re.fullmatch(r"super\(\)\.(on_start|on_stop)", fname)
            if m and self.current_fn is not None and self.current_fn.name == m.group(1) and \
                    not call.args and depth < 8:
                self.super_call(m.group(1), where, out, depth)
                return
            m = re.fullmatch(r"self\.(\w+)", fname)
            if m and depth < 8:
                meth = self.class_method(self.context_class(), m.group(1)) or \
                    self.class_method(self.cls, m.group(1))
                if meth:
                    scope = self.bind_arguments(meth, call, env, skip_self=True)
                    self.run_body(meth.body, where, out, scope, meth, depth + 1)
                    return
            if fname in ("time.sleep", "gevent.sleep", "sleep", "self.wait"):
                self.gap(st, "%s inside a task" % fname,
                         "barrage waits between tasks only: use think: (wait_time) or split "
                         "the task")
            if fname in ("self.stop", "self.environment.runner.quit", "self.user.stop"):
                self.gap(st, fname + "()", "barrage users run until the end of the test")
            self.gap(st, "call %s" % first_line(st),
                     "barrage runs requests only: inline it as self.client calls")
        if isinstance(st, ast.Assign) and len(st.targets) == 1:
            self.assign(st.targets[0], st.value, st, where, out, env, uses)
            return
        if isinstance(st, ast.AnnAssign) and st.value is not None:
            self.assign(st.target, st.value, st, where, out, env, uses)
            return
        if isinstance(st, ast.With):
            self.with_block(st, where, out, env, uses)
            return
        if isinstance(st, ast.Raise) and "StopUser" in ast.unparse(st):
            self.gap(st, "raise StopUser()", "barrage users run until the end of the test")
        what = {ast.For: "a for loop", ast.While: "a while loop", ast.If: "a conditional (if)",
                ast.Try: "try/except", ast.Return: "return", ast.AugAssign: "an update (%s)"
                % first_line(st)}.get(type(st), first_line(st))
        instead = {ast.For: "unroll it into steps or tasks, or feed values from a data: file",
                   ast.While: "unroll it into steps or tasks",
                   ast.If: "barrage steps run unconditionally: split the branches into tasks "
                           "with weights, or check the response with expect:",
                   ast.Try: "drop the handler: a failed request is counted, not raised"}.get(
            type(st), "barrage runs requests only: remove it or rewrite it as requests")
        self.gap(st, what, instead)

    def last_notes(self, out):
        for s in reversed(out):
            if isinstance(s, Req):
                return s.notes
        return self.user.notes

    def is_client_call(self, call, env):
        f = call.func
        if not isinstance(f, ast.Attribute) or f.attr not in METHODS + ("request",):
            return False
        return self.is_client(f.value, env)

    def is_client(self, node, env):
        txt = ast.unparse(node)
        return any(txt in ("%s.client" % n, "%s.user.client" % n) for n, v in env.items()
                   if v == "user")

    def is_self(self, node, env):
        return isinstance(node, ast.Name) and env.get(node.id) == "user"

    def self_attr(self, node, env):
        """The attribute name of self.X or self.user.X, else None."""
        if isinstance(node, ast.Attribute):
            if self.is_self(node.value, env):
                return node.attr
            if isinstance(node.value, ast.Attribute) and node.value.attr == "user" and \
                    self.is_self(node.value.value, env):
                return node.attr
        return None

    def assign(self, target, value, st, where, out, env, uses):
        if isinstance(value, ast.Call) and self.is_client_call(value, env):
            req = self.request(value, env)
            out.append(req)
            val = Val("respobj", req=req)
        else:
            val = None
        if isinstance(target, ast.Name):
            if val is None:
                val = self.value(value, env)
                if val.kind == "tmpl" and val.random and where == "on_start":
                    val = self.per_user_var(target.id, val, st)
                elif val.kind == "tmpl" and val.random and uses.get(target.id, 0) > 1:
                    self.gap(st, "random value %s used more than once" % target.id,
                             "barrage draws a new value at each use: use it once, or make it a "
                             "per-user variable in on_start")
            env[target.id] = val
            return
        if isinstance(target, ast.Subscript) and \
                ast.unparse(target.value).endswith("client.headers"):
            if where != "on_start":
                self.gap(st, "changing self.client.headers in a task",
                         "set class headers in on_start, or pass headers= to the request")
            key = self.const_value(target.slice)
            self.set_class_header(key, self.value(value, env), st)
            return
        attr = self.self_attr(target, env)
        if attr is None:
            self.gap(st, "assignment %s" % first_line(st), "assign to a local or to self.NAME")
        if val is None:
            val = self.value(value, env)
        if val.kind == "respobj":
            self.self_attrs[attr] = val
            return
        if where != "on_start":
            if val.kind == "resp":
                var = self.capture_var(val, attr)
                self.self_attrs[attr] = Val("tmpl", text="{{ %s }}" % var, typ="str", safe=False)
                return
            self.gap(st, "self.%s set in a task" % attr,
                     "set per-user values in on_start; a task can only keep a response value")
        if val.kind == "resp":
            var = self.capture_var(val, attr)
            self.self_attrs[attr] = Val("tmpl", text="{{ %s }}" % var, typ="str", safe=False)
        elif val.kind == "tmpl" and val.random:
            self.self_attrs[attr] = self.per_user_var(attr, val, st)
        else:
            self.self_attrs[attr] = val  # deterministic: substituted where it is used

    def per_user_var(self, base, val, st):
        """A random value drawn once per user (in on_start): a vars: entry, as a template."""
        used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", val.text))
        if used & (self.capture_names() | self.pending_caps()):
            self.gap(st, "%s mixes random values and response values" % base,
                     "split it into two values")
        name = self.new_var(base)
        self.user.vars.append((name, val.text))
        return Val("tmpl", text="{{ %s }}" % name, typ=val.typ, safe=val.safe)

    def capture_names(self):
        names = set()
        for req in self.all_reqs():
            names.update(v for v, _ in req.captures)
        return names

    def all_reqs(self):
        u = self.user
        for r in u.on_start:
            if isinstance(r, Req):
                yield r
        for t in u.tasks:
            if isinstance(t, Task):
                for r in t.steps:
                    if isinstance(r, Req):
                        yield r

    def new_var(self, base):
        base = re.sub(r"\W", "_", base) or "v"
        if not re.match(r"[A-Za-z_]", base):
            base = "v_" + base
        taken = {n for n, _ in self.user.vars} | self.capture_names() | self.pending_caps()
        name = base if base not in RESERVED_VARS else base + "_"
        i = 2
        while name in taken:
            name = "%s_%d" % (base, i)
            i += 1
        return name

    def pending_caps(self):
        return getattr(self, "_pending", set())

    def capture_var(self, val, hint):
        req = val.req
        for var, spec in req.captures:
            if spec == val.spec:
                return var
        var = self.new_var(hint or val.hint or "value")
        req.captures.append((var, val.spec))
        self._pending = self.pending_caps() | {var}
        return var

    def header_update(self, call, where, env):
        if where != "on_start":
            self.gap(call, "self.client.headers.update() in a task",
                     "set class headers in on_start, or pass headers= to the request")
        if len(call.args) != 1 or call.keywords:
            self.gap(call, "headers.update(%s)" % ast.unparse(call), "pass one dict")
        d = self.objify(self.value(call.args[0], env))
        if d.kind != "obj" or not isinstance(d.items, dict):
            self.gap(call, "headers.update(%s)" % ast.unparse(call.args[0]), "pass a dict")
        for k, v in d.items.items():
            self.set_class_header(k, v, call)

    def header(self, key, val, node):
        """A header (name, template text), refused where HTTP or barrage cannot send it."""
        if not isinstance(key, str) or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", key):
            self.gap(node, "header name %r" % (key,), "write header names as HTTP tokens")
        text = self.text_of(val, node, "header %s" % key)
        if "\r" in text or "\n" in text:
            self.gap(node, "a line break in header %s" % key, "remove it")
        return key, text

    def set_class_header(self, key, val, node):
        key, text = self.header(key, val, node)
        self.user.headers = [(k, v) for k, v in self.user.headers if k.lower() != key.lower()]
        self.user.headers.append((key, text))

    def with_block(self, st, where, out, env, uses):
        if len(st.items) != 1:
            self.gap(st, "with with several items", "use one self.client call per with")
        item = st.items[0]
        call = item.context_expr
        if not (isinstance(call, ast.Call) and self.is_client_call(call, env)):
            self.gap(st, "with %s" % ast.unparse(call),
                     "only with self.client.METHOD(..., catch_response=True) as r: converts")
        req = self.request(call, env)
        out.append(req)
        rname = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
        inner = dict(env)
        if rname:
            inner[rname] = Val("respobj", req=req)
        catch = any(k.arg == "catch_response" and self.const_value(k.value) is True
                    for k in call.keywords)
        for s in st.body:
            if catch and rname and self.check_statement(s, req, rname):
                continue
            self.statement(s, where, out, inner, uses, 0)
        for k, v in inner.items():
            if k != rname and k not in env:
                env[k] = v

    # ------------------------------------------------------------------ catch_response checks

    def is_resp_call(self, node, rname, method):
        return isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
            ast.unparse(node.value.func) == "%s.%s" % (rname, method)

    def check_statement(self, s, req, rname):
        """if COND: r.failure(...) [elif ...] [else: r.success()] -> expect. False if not one."""
        if self.is_resp_call(s, rname, "success"):
            req.notes.append("r.success() always: barrage counts a status >= 400 as a failure")
            return True
        if not isinstance(s, ast.If):
            return False
        conds = []
        node = s
        while True:
            body = [b for b in node.body if not self.is_log(b)]
            if len(body) == 1 and self.is_resp_call(body[0], rname, "failure"):
                conds.append(node.test)
            elif len(body) == 1 and self.is_resp_call(body[0], rname, "success") and \
                    len(node.orelse) == 1 and self.is_resp_call(node.orelse[0], rname, "failure"):
                conds.append(ast.UnaryOp(op=ast.Not(), operand=node.test,
                                         lineno=node.test.lineno,
                                         col_offset=node.test.col_offset))
                node = None
                break
            else:
                self.gap(node, "a check other than if ...: %s.failure(...)" % rname,
                         "write checks as if CONDITION: r.failure(...) over status_code, text, "
                         "json() or elapsed")
            if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                node = node.orelse[0]
                continue
            break
        if node is not None and node.orelse:
            rest = [b for b in node.orelse if not self.is_log(b)]
            if not (len(rest) == 1 and self.is_resp_call(rest[0], rname, "success")):
                self.gap(node.orelse[0], "else branch of a response check",
                         "keep only r.success() there")
        for c in conds:
            self.failure_condition(c, req, rname)
        return True

    def is_log(self, st):
        return isinstance(st, ast.Expr) and isinstance(st.value, ast.Call) and \
            ast.unparse(st.value.func).split(".")[0] in LOG_CALLS

    def failure_condition(self, c, req, rname):
        """A condition under which the request fails, as expect: entries."""
        if isinstance(c, ast.BoolOp) and isinstance(c.op, ast.Or):
            for v in c.values:
                self.failure_condition(v, req, rname)
            return
        ok = negate(c)
        if ok is not None:
            self.success_condition(ok, req, rname, c)
            return
        self.gap(c, "response check %s" % ast.unparse(c),
                 "barrage expects a status, a body substring, a JSON value or a maximum "
                 "duration: write the failure test as status_code != N, \"x\" not in r.text, "
                 "r.json()[...] != V or r.elapsed.total_seconds() > S")

    def success_condition(self, c, req, rname, where):
        """c must hold for success."""
        if isinstance(c, ast.BoolOp) and isinstance(c.op, ast.And):
            for v in c.values:
                self.success_condition(v, req, rname, where)
            return
        if isinstance(c, ast.Compare) and len(c.ops) == 1:
            left, op, right = c.left, c.ops[0], c.comparators[0]
            lt = ast.unparse(left)
            if lt == "%s.status_code" % rname:
                if isinstance(op, ast.Eq):
                    self.add_status(req, [self.const_value(right)], c)
                    return
                if isinstance(op, ast.In):
                    v = self.const_value(right)
                    if isinstance(v, (list, tuple, set)):
                        self.add_status(req, list(v), c)
                        return
                if isinstance(op, ast.Lt) and self.const_value(right) == 400:
                    return  # barrage's default: any status below 400
            if isinstance(op, ast.In) and ast.unparse(right) in ("%s.text" % rname,
                                                                   "%s.content" % rname):
                v = self.const_value(left)
                if isinstance(v, bytes):
                    v = v.decode("utf-8", "replace")
                if isinstance(v, str) and "body_contains" not in req.expect:
                    req.expect["body_contains"] = v
                    return
            path = self.json_path(left, rname)
            if path and isinstance(op, ast.Eq):
                v = self.const_value(right)
                if isinstance(v, (str, int, float, bool)) or v is None:
                    req.expect.setdefault("json", []).append((path, v))
                    return
            if lt in ("%s.elapsed.total_seconds()" % rname,) and isinstance(op, (ast.Lt, ast.LtE)):
                v = self.const_value(right)
                if is_number(v) and v > 0:
                    req.expect["max_duration"] = seconds(v)
                    return
        if ast.unparse(c) == "%s.ok" % rname:
            return
        self.gap(where, "response check %s" % ast.unparse(where),
                 "barrage expects a status, a body substring, a JSON value or a maximum "
                 "duration: write the failure test as status_code != N, \"x\" not in r.text, "
                 "r.json()[...] != V or r.elapsed.total_seconds() > S")

    def add_status(self, req, codes, node):
        if not codes or not all(isinstance(x, int) and not isinstance(x, bool) and
                                100 <= x <= 599 for x in codes):
            self.gap(node, "status check %s" % ast.unparse(node),
                     "compare with integer codes from 100 to 599")
        codes = sorted(set(codes))
        have = req.expect.get("status")
        req.expect["status"] = codes if have is None else [x for x in have if x in codes]

    def json_path(self, node, rname):
        """r.json()["a"][0]["b"] (or .get("a")) -> "$.a[0].b", else None."""
        keys = []
        while True:
            if isinstance(node, ast.Subscript):
                keys.append(self.const_value(node.slice))
                node = node.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "get" and len(node.args) == 1 and not node.keywords:
                keys.append(self.const_value(node.args[0]))
                node = node.func.value
            else:
                break
        if not (isinstance(node, ast.Call) and ast.unparse(node) == "%s.json()" % rname):
            return None
        path = "$"
        for k in reversed(keys):
            if isinstance(k, bool):
                return None
            if isinstance(k, int):
                path += "[%d]" % k
            elif isinstance(k, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
                path += "." + k
            elif isinstance(k, str) and "'" not in k and "\\" not in k:
                path += "['%s']" % k
            else:
                return None
        return path

    # ------------------------------------------------------------------ requests

    def request(self, call, env):
        f = call.func
        args = list(call.args)
        if f.attr == "request":
            if not args:
                self.gap(call, "client.request() without a method", "pass the method first")
            method = self.const_value(args.pop(0))
            if not isinstance(method, str) or method.lower() not in METHODS:
                self.gap(call, "client.request(%s, ...)" % ast.unparse(call.args[0]),
                         "use one of %s" % ", ".join(m.upper() for m in METHODS))
            method = method.lower()
        else:
            method = f.attr
        req = Req(method, call)
        kw = {k.arg: k.value for k in call.keywords}
        if None in kw:
            self.gap(call, "**kwargs in a request", "write the arguments out")
        if args:
            kw.setdefault("url", args.pop(0))
        # requests.Session: post(url, data, json), put/patch(url, data), the others (url).
        positional = {"post": ["data", "json"], "put": ["data"], "patch": ["data"]}.get(method, [])
        for name, a in zip(positional, args):
            kw[name] = a
        if len(args) > len(positional):
            self.gap(call, "positional arguments of %s" % first_line(call), "pass them by name")
        if "url" not in kw:
            self.gap(call, "request without a URL", "pass the URL")
        url = kw.pop("url")
        req.path = self.text_of(self.value(url, env), call, "the URL")
        if not re.match(r"/|https?://", req.path):
            self.gap(url, "URL %s" % ast.unparse(url),
                     "barrage needs a URL that starts with / or http(s):// as written: put "
                     "that part first as a literal")
        if "{{" in req.path and "name" not in kw:
            req.notes.append("Locust names this request by its URL each time; barrage groups "
                             "it under the path as written (pass name= to choose)")
        for k, v in kw.items():
            self.request_keyword(req, k, v, env)
        return req

    def request_keyword(self, req, k, v, env):
        if k == "name":
            n = self.value(v, env)
            if n.kind != "const" or not isinstance(n.py, str):
                self.gap(v, "name=%s (computed per request)" % ast.unparse(v),
                         "barrage groups stats by a fixed name: write it as a string")
            req.name = n.py
        elif k == "headers":
            d = self.objify(self.value(v, env))
            if d.kind != "obj" or not isinstance(d.items, dict):
                self.gap(v, "headers=%s" % ast.unparse(v), "pass a dict")
            for hk, hv in d.items.items():
                req.headers.append(self.header(hk, hv, v))
        elif k == "params":
            d = self.objify(self.value(v, env))
            if d.kind != "obj" or not isinstance(d.items, dict):
                self.gap(v, "params=%s" % ast.unparse(v), "pass a dict of single values")
            for pk, pv in d.items.items():
                if pv.kind == "obj":
                    self.gap(v, "a list in params=", "barrage sends one value per name")
                req.query.append((str(pk), self.text_of(pv, v, "param %s" % (pk,))))
        elif k == "json":
            self.json_body(req, self.value(v, env), v)
        elif k == "data":
            d = self.objify(self.value(v, env))
            if d.kind == "obj" and isinstance(d.items, dict):
                req.form = [(str(fk), self.text_of(fv, v, "form field %s" % (fk,)))
                            for fk, fv in d.items.items()]
            elif d.kind == "const" and isinstance(d.py, bytes):
                req.body = d.py.decode("utf-8")
            else:
                req.body = self.text_of(d, v, "data=")
        elif k == "cookies":
            d = self.objify(self.value(v, env))
            if d.kind != "obj" or not isinstance(d.items, dict):
                self.gap(v, "cookies=%s" % ast.unparse(v), "pass a dict")
            text = "; ".join("%s=%s" % (ck, self.text_of(cv, v, "cookie %s" % (ck,)))
                             for ck, cv in d.items.items())
            req.headers.append(self.header("Cookie", Val("tmpl", text=text), v))
            req.notes.append("cookies= sent as a Cookie header")
        elif k == "timeout":
            t = self.const_value(v)
            if not is_number(t) or t <= 0:
                self.gap(v, "timeout=%s" % ast.unparse(v), "write one number of seconds")
            req.timeout_ms = seconds(t)
            req.notes.append("requests' timeout bounds connect and each read; barrage's the "
                             "whole request")
        elif k == "allow_redirects":
            a = self.const_value(v)
            if not isinstance(a, bool):
                self.gap(v, "allow_redirects=%s" % ast.unparse(v), "write True or False")
            req.follow = a
        elif k == "catch_response":
            pass
        else:
            self.gap(v, "request argument %s=" % k,
                     "barrage takes name, headers, params, json, data, cookies, timeout and "
                     "allow_redirects")

    def json_body(self, req, val, node):
        def walk(v):
            if v.kind == "const":
                if isinstance(v.py, (dict, list, tuple)):
                    return walk(self.obj_of_const(v.py))
                return v
            if v.kind == "obj":
                if isinstance(v.items, dict):
                    if not all(isinstance(k, str) for k in v.items):
                        self.gap(node, "a json= key that is not a string", "use string keys")
                    return {k: walk(x) for k, x in v.items.items()}
                return [walk(x) for x in v.items]
            if v.kind == "resp":
                var = self.capture_var(v, None)
                return Val("tmpl", text="{{ %s }}" % var, typ="str", safe=False)
            if v.kind == "tmpl":
                if v.typ == "uuid":
                    self.gap(node, "a UUID object in json=",
                             "Python cannot serialise it either: write str(uuid.uuid4())")
                return v
            self.gap(node, "json=%s" % ast.unparse(node), "write a dict or list literal")
        tree = walk(val)
        typed = []
        collect_leaves(tree, typed)
        if all(x.kind == "const" or x.typ == "str" for x in typed):
            req.json = tree
            return
        if not all(x.kind == "const" or x.safe for x in typed):
            self.gap(node, "a number from a response or variable in json=",
                     "barrage's json: values with {{ }} are strings: wrap the value in str()")
        req.body = raw_json(tree)
        req.headers.append(("Content-Type", "application/json"))
        req.notes.append("json= with numbers drawn per request, sent as the JSON text "
                         "requests would send")

    def objify(self, v):
        if v.kind == "const" and isinstance(v.py, (dict, list, tuple)):
            return self.obj_of_const(v.py)
        return v

    def obj_of_const(self, py):
        if isinstance(py, dict):
            return Val("obj", items={k: const(v) for k, v in py.items()})
        return Val("obj", items=[const(v) for v in py])

    # ------------------------------------------------------------------ expressions

    def const_value(self, node):
        v = self.value(node, {})
        if v.kind != "const":
            return object()
        return v.py

    def text_of(self, val, node, what):
        """A Val as template text for a string context (URL, header, query...)."""
        if val.kind == "const":
            s = py_str(val.py)
            if s is None:
                self.gap(node, "%s is a %s" % (what, type(val.py).__name__), "write a string")
            if "{{" in s:
                self.gap(node, "'{{' in %s" % what, "barrage templates cannot escape '{{'")
            return s
        if val.kind == "tmpl":
            return val.text
        if val.kind == "resp":
            return "{{ %s }}" % self.capture_var(val, None)
        self.gap(node, "%s from %s" % (what, ast.unparse(node)), "write a string expression")

    def value(self, node, env, depth=0):
        if depth > 20:
            self.gap(node, "expression nested too deep", "simplify it")
        if isinstance(node, ast.Constant):
            return const(node.value)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [self.value(e, env, depth + 1) for e in node.elts]
            if all(i.kind == "const" for i in items):
                seq = [i.py for i in items]
                return const(tuple(seq) if isinstance(node, ast.Tuple) else seq)
            return Val("obj", items=items)
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                self.gap(node, "**spread in a dict", "write the keys out")
            keys = [self.const_value(k) for k in node.keys]
            for k, kn in zip(keys, node.keys):
                if not isinstance(k, (str, int, float, bool, type(None))):
                    self.gap(kn, "dict key %s" % ast.unparse(kn), "write keys as literals")
            vals = [self.value(v, env, depth + 1) for v in node.values]
            if all(v.kind == "const" for v in vals):
                return const(dict(zip(keys, [v.py for v in vals])))
            return Val("obj", items=dict(zip(keys, vals)))
        if isinstance(node, ast.Name):
            if node.id in env:
                v = env[node.id]
                if v == "user":
                    self.gap(node, "self used as a value", "use self.NAME")
                return v
            if node.id in self.consts:
                return self.import_time(self.consts[node.id], node, depth)
            if node.id in ("True", "False", "None"):
                return const({"True": True, "False": False, "None": None}[node.id])
            self.gap(node, "name %s" % node.id,
                     "only module constants, locals, self attributes and helpers convert")
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node, env, depth)
        if isinstance(node, ast.BinOp):
            return self.binop(node, env, depth)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = self.value(node.operand, env, depth + 1)
            if v.kind == "const" and is_number(v.py):
                return const(-v.py)
        if isinstance(node, ast.Attribute):
            attr = self.self_attr(node, env)
            if attr is not None:
                if attr in self.self_attrs:
                    return self.self_attrs[attr]
                if attr in self.class_attrs:
                    return self.import_time(self.class_attrs[attr], node, depth)
                self.gap(node, "self.%s (not set in on_start or the class)" % attr,
                         "set it in on_start or as a class attribute")
            if isinstance(node.value, ast.Name) and isinstance(env.get(node.value.id), Val) \
                    and env[node.value.id].kind == "respobj":
                return self.resp_value(node, env[node.value.id], node.value.id)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, env, depth)
        if isinstance(node, ast.Call):
            return self.call(node, env, depth)
        self.gap(node, "expression %s" % ast.unparse(node),
                 "write it with literals, f-strings, random.randint/choice, uuid.uuid4() "
                 "and values kept on self")

    def import_time(self, value_node, use, depth):
        """A module constant or class attribute: Python evaluates it once, on import."""
        v = self.value(value_node, {}, depth + 1)
        if v.kind == "tmpl" and v.random:
            self.gap(value_node, "%s is drawn once when Python imports the file, the same for "
                     "every user" % ast.unparse(value_node),
                     "write the value itself, or draw it per user in on_start")
        return v

    def resp_value(self, node, resp, rname):
        text = ast.unparse(node)
        base, key = self.item_of(node)
        if base is not None and ast.unparse(base) == "%s.headers" % rname:
            if isinstance(key, str) and re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", key):
                return Val("resp", req=resp.req, spec="header:" + key,
                           hint=re.sub(r"\W", "_", key.lower()))
        if base is not None and ast.unparse(base) == "%s.cookies" % rname:
            if isinstance(key, str) and re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", key):
                return Val("resp", req=resp.req, spec="cookie:" + key,
                           hint=re.sub(r"\W", "_", key.lower()))
            self.gap(node, "a cookie's value (%s)" % text,
                     "name the cookie with a constant string: r.cookies[\"session\"]")
        path = self.json_path(node, rname)
        if path:
            key = re.findall(r"[A-Za-z_]\w*", path)
            return Val("resp", req=resp.req, spec="json:" + path,
                       hint=key[-1] if key else "value")
        self.gap(node, "response value %s" % text,
                 "barrage captures r.json()[...], a header or a regex over the body")

    def item_of(self, node):
        """X[k] or X.get(k) with a constant k: (X, k); else (None, None)."""
        if isinstance(node, ast.Subscript):
            return node.value, self.const_value(node.slice)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "get" and len(node.args) == 1 and not node.keywords:
            return node.func.value, self.const_value(node.args[0])
        return None, None

    def resp_of(self, node, env):
        """The response object (name, Val) an expression reads from, else None."""
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(env.get(n.id), Val) and \
                    env[n.id].kind == "respobj":
                return n.id, env[n.id]
        return None

    def env_value(self, name, node):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            self.gap(node, "environment variable %r" % name, "use a plain variable name")
        return Val("tmpl", text="{{ env('%s') }}" % name, typ="str", safe=False)

    def subscript(self, node, env, depth):
        base = node.value
        if ast.unparse(base) == "os.environ":
            k = self.const_value(node.slice)
            if isinstance(k, str):
                return self.env_value(k, node)
        r = self.resp_of(node, env)
        if r:
            return self.resp_value(node, r[1], r[0])
        if isinstance(base, ast.Call) or isinstance(base, ast.Subscript):
            inner = base
            while isinstance(inner, (ast.Subscript, ast.Call)) and not (
                    isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr == "json"):
                inner = inner.value if isinstance(inner, ast.Subscript) else inner.func.value \
                    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                    else None
                if inner is None:
                    break
            if isinstance(inner, ast.Call) and isinstance(inner.func.value, ast.Name):
                r = env.get(inner.func.value.id)
                if isinstance(r, Val) and r.kind == "respobj":
                    return self.resp_value(node, r, inner.func.value.id)
        b = self.value(base, env, depth + 1)
        k = self.value(node.slice, env, depth + 1)
        if b.kind == "const" and k.kind == "const":
            try:
                return const(b.py[k.py])
            except (KeyError, IndexError, TypeError):
                self.gap(node, "%s fails in Python" % ast.unparse(node), "fix the index")
        if b.kind == "obj" and k.kind == "const":
            try:
                return b.items[k.py]
            except (KeyError, IndexError, TypeError):
                pass
        self.gap(node, "index %s" % ast.unparse(node), "index constants with constants only")

    def fstring(self, node, env, depth):
        parts, rnd, safe, dyn = [], False, True, False
        for p in node.values:
            if isinstance(p, ast.Constant):
                parts.append(str(p.value))
                safe = safe and safe_text(str(p.value))
                continue
            if p.format_spec is not None or p.conversion not in (-1, ord("s")):
                self.gap(p, "format spec or conversion in %s" % ast.unparse(node),
                         "barrage renders values as str() does: drop the :spec / !r")
            v = self.value(p.value, env, depth + 1)
            t = self.text_of(v, p, "f-string part")
            if v.kind != "const":
                dyn = True
                rnd = rnd or v.random
                safe = safe and (v.safe if v.kind == "tmpl" else False)
            else:
                safe = safe and safe_text(t)
            parts.append(t)
        text = "".join(parts)
        if not dyn:
            return const(text)
        return Val("tmpl", text=text, typ="str", random=rnd, safe=safe)

    def binop(self, node, env, depth):
        a = self.value(node.left, env, depth + 1)
        b = self.value(node.right, env, depth + 1)
        if a.kind == "const" and b.kind == "const":
            try:
                expr = ast.fix_missing_locations(ast.Expression(ast.BinOp(
                    left=ast.Constant(a.py), op=node.op, right=ast.Constant(b.py))))
                return const(eval(compile(expr, "<const>", "eval"), {"__builtins__": {}}))
            except Exception:
                self.gap(node, "%s fails in Python" % ast.unparse(node), "fix the expression")
        if isinstance(node.op, ast.Add) and is_strish(a) and is_strish(b):
            return concat([a, b], self, node)
        if isinstance(node.op, ast.Mod) and a.kind == "const" and isinstance(a.py, str):
            items = b.items if b.kind == "obj" and isinstance(b.items, list) else \
                [const(x) for x in b.py] if b.kind == "const" and isinstance(b.py, tuple) \
                else [b]
            return self.percent(a.py, items, node)
        self.gap(node, "expression %s" % ast.unparse(node),
                 "barrage can only join strings and values: use an f-string")

    def percent(self, fmt, items, node):
        out, i, pos = [], 0, 0
        for m in re.finditer(r"%(.)", fmt):
            out.append(const(fmt[pos:m.start()]))
            pos = m.end()
            if m.group(1) == "%":
                out.append(const("%"))
                continue
            if m.group(1) not in "sd" or i >= len(items):
                self.gap(node, "format %s" % fmt, "use only %s and %d, one value each")
            v = items[i]
            i += 1
            if m.group(1) == "d" and v.kind == "const" and isinstance(v.py, float):
                v = const(int(v.py))
            out.append(v)
        if i != len(items):
            self.gap(node, "format %s" % fmt, "give one value per %s or %d")
        out.append(const(fmt[pos:]))
        return concat(out, self, node)

    def format_call(self, fmt, node, env, depth):
        args = [self.value(a, env, depth + 1) for a in node.args]
        kws = {k.arg: self.value(k.value, env, depth + 1) for k in node.keywords}
        out, pos, auto = [], 0, 0
        for m in re.finditer(r"\{\{|\}\}|\{([^{}]*)\}", fmt):
            out.append(const(fmt[pos:m.start()]))
            pos = m.end()
            if m.group(0) in ("{{", "}}"):
                out.append(const(m.group(0)[0]))
                continue
            field = m.group(1)
            if ":" in field or "!" in field:
                self.gap(node, "format spec in %s" % fmt, "use plain {} fields")
            if field == "":
                field = auto
                auto += 1
            elif field.isdigit():
                field = int(field)
            try:
                out.append(args[field] if isinstance(field, int) else kws[field])
            except (IndexError, KeyError):
                self.gap(node, "format %s fails in Python" % fmt, "fix the arguments")
        out.append(const(fmt[pos:]))
        return concat(out, self, node)

    def call(self, node, env, depth):
        fn = ast.unparse(node.func)
        mod = self.imports.get(fn.split(".")[0], fn.split(".")[0])
        full = mod + fn[len(fn.split(".")[0]):]
        args = [self.value(a, env, depth + 1) for a in node.args] \
            if not isinstance(node.func, ast.Attribute) or node.func.attr != "format" else None
        if full in ("random.randint", "random.randrange") and len(args) == 2 and \
                all(a.kind == "const" and isinstance(a.py, int) for a in args) and \
                not node.keywords:
            lo, hi = args[0].py, args[1].py - (full == "random.randrange")
            if lo > hi:
                self.gap(node, "%s fails in Python (empty range)" % ast.unparse(node),
                         "fix the bounds")
            return Val("tmpl", text="{{ randint(%d, %d) }}" % (lo, hi), typ="int", random=True)
        if full == "random.choice" and len(args) == 1 and not node.keywords:
            seq = args[0]
            if seq.kind != "const" or not isinstance(seq.py, (list, tuple, str)) or not seq.py:
                self.gap(node, "random.choice over %s" % ast.unparse(node.args[0]),
                         "choose from a non-empty list of literals")
            opts = list(seq.py)
            if not all(isinstance(o, (str, int, float, bool)) for o in opts):
                self.gap(node, "random.choice over non-scalar values",
                         "choose from strings or numbers")
            ints = all(isinstance(o, int) and not isinstance(o, bool) for o in opts)
            strs = all(isinstance(o, str) for o in opts)
            rendered = [str(o) if ints else tmpl_quote(str(o)) for o in opts]
            return Val("tmpl", text="{{ choice(%s) }}" % ", ".join(rendered),
                       typ="int" if ints else "str" if strs else "mixed", random=True,
                       safe=all(safe_text(str(o)) for o in opts))
        if full in ("os.getenv", "os.environ.get") and len(args) == 1 and \
                args[0].kind == "const" and isinstance(args[0].py, str):
            return self.env_value(args[0].py, node)
        if full in ("os.getenv", "os.environ.get") and len(args) == 2:
            self.gap(node, "%s with a default" % ast.unparse(node),
                     "barrage's env('NAME') needs the variable set: drop the default and "
                     "set it where the workers run")
        if full == "random.random" and not args and not node.keywords:
            return Val("tmpl", text="{{ random() }}", typ="float", random=True)
        if full in ("uuid.uuid4", "uuid.uuid4.uuid4") and not args:
            return Val("tmpl", text="{{ uuid() }}", typ="uuid", random=True)
        if fn == "str" and len(args) == 1:
            a = args[0]
            if a.kind == "const":
                s = py_str(a.py)
                if s is not None:
                    return const(s)
            if a.kind == "tmpl":
                return Val("tmpl", text=a.text, typ="str", random=a.random, safe=a.safe)
            if a.kind == "resp":
                return a
        if fn == "int" and len(args) == 1 and args[0].kind == "tmpl" and args[0].typ == "int":
            return args[0]
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            base = self.value(node.func.value, env, depth + 1)
            if base.kind == "const" and isinstance(base.py, str):
                return self.format_call(base.py, node, env, depth)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and \
                self.resp_of(node, env):
            name, r = self.resp_of(node, env)
            return self.resp_value(node, r, name)
        if isinstance(node.func, ast.Name) and node.func.id in self.funcs:
            return self.inline(self.funcs[node.func.id], node, env, depth)
        if fn.startswith("random.") or fn in ("random", "uniform"):
            self.gap(node, "%s" % ast.unparse(node),
                     "barrage's templates have randint(a, b), choice(...), random() and "
                     "uuid(): use one of those")
        self.gap(node, "call %s" % ast.unparse(node),
                 "write it with literals, f-strings, random.randint/choice, uuid.uuid4(), "
                 "helpers that return one expression and values kept on self")

    def inline(self, fn, node, env, depth):
        body = [s for s in fn.body if not is_docstring(s)]
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            self.gap(node, "call of helper %s()" % fn.name,
                     "only helpers whose body is one return of an expression are inlined")
        scope = self.bind_arguments(fn, node, env, skip_self=False)
        return self.value(body[0].value, scope, depth + 1)


# --------------------------------------------------------------------------- helpers

def first_line(node):
    s = ast.unparse(node).split("\n")[0]
    return s if len(s) <= 60 else s[:57] + "..."


def base_name(b):
    if isinstance(b, ast.Name):
        return b.id
    if isinstance(b, ast.Attribute):
        return b.attr
    return None


def call_name(f):
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_docstring(st):
    return isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and \
        isinstance(st.value.value, str)


def is_trivial(body):
    return all(is_docstring(s) or isinstance(s, ast.Pass) for s in body)


def count_names(stmts):
    out = {}
    for st in stmts:
        for n in ast.walk(st):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                out[n.id] = out.get(n.id, 0) + 1
    return out


def is_strish(v):
    return v.kind in ("tmpl", "resp") or v.kind == "const" and isinstance(v.py, str)


def concat(vals, conv, node):
    """Joins Vals as str() would: a template, or a constant when nothing varies."""
    parts, rnd, safe, dyn = [], False, True, False
    for v in vals:
        t = conv.text_of(v, node, "a string part")
        if v.kind != "const":
            dyn = True
            rnd = rnd or v.random
            safe = safe and v.kind == "tmpl" and v.safe
        else:
            safe = safe and safe_text(t)
        parts.append(t)
    text = "".join(parts)
    return Val("tmpl", text=text, typ="str", random=rnd, safe=safe) if dyn else const(text)


def negate(c):
    """The condition for success, given the condition for failure; None if not a test."""
    if isinstance(c, ast.UnaryOp) and isinstance(c.op, ast.Not):
        return c.operand
    if isinstance(c, ast.Compare) and len(c.ops) == 1:
        flip = {ast.NotEq: ast.Eq, ast.Eq: ast.NotEq, ast.NotIn: ast.In, ast.In: ast.NotIn,
                ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Lt: ast.GtE, ast.LtE: ast.Gt}
        op = flip.get(type(c.ops[0]))
        if op:
            return ast.Compare(left=c.left, ops=[op()], comparators=c.comparators,
                               lineno=c.lineno, col_offset=c.col_offset)
    if isinstance(c, ast.Attribute) and c.attr == "ok":
        return None
    return None


def seconds(v):
    """A duration in seconds as barrage writes it: 1s, 1.5s, 250ms."""
    ms = round(v * 1000.0, 3)
    if ms == int(ms):
        ms = int(ms)
        return "%ds" % (ms // 1000) if ms % 1000 == 0 else "%dms" % ms
    return "%sms" % ("%.3f" % ms).rstrip("0")


def collect_leaves(tree, out):
    if isinstance(tree, dict):
        for v in tree.values():
            collect_leaves(v, out)
    elif isinstance(tree, list):
        for v in tree:
            collect_leaves(v, out)
    else:
        out.append(tree)


def raw_json(tree):
    """The JSON text requests sends for json= (json.dumps' separators), {{ }} parts unquoted
    for numbers and inside quotes for strings."""
    if isinstance(tree, dict):
        return "{" + ", ".join("%s: %s" % (json.dumps(k), raw_json(v))
                               for k, v in tree.items()) + "}"
    if isinstance(tree, list):
        return "[" + ", ".join(raw_json(v) for v in tree) + "]"
    if tree.kind == "const":
        return json.dumps(tree.py)
    if tree.typ == "str":
        return '"' + tree.text + '"'
    return tree.text


# --------------------------------------------------------------------------- YAML output

def yaml_printable(c):
    """True if c can stand raw in a double-quoted scalar: YAML's printable set without the
    characters YAML 1.1 (libyaml) reads as line breaks (NEL, LS, PS) or as a BOM."""
    o = ord(c)
    return (0x20 <= o <= 0x7e or 0xa0 <= o <= 0xd7ff and o not in (0x2028, 0x2029) or
            (0xe000 <= o <= 0xfffd and o != 0xfeff) or 0x10000 <= o <= 0x10ffff)


def q(s):
    """A YAML double-quoted scalar: JSON's escapes (which are YAML's) for quotes, backslashes
    and C0 controls, \\u or \\U escapes for what else YAML may not hold raw; UTF-8 otherwise."""
    out = []
    for c in json.dumps(s, ensure_ascii=False):
        if yaml_printable(c):
            out.append(c)
        else:
            out.append("\\u%04x" % ord(c) if ord(c) <= 0xffff else "\\U%08x" % ord(c))
    return "".join(out)


YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def k(s):
    """A mapping key: plain when YAML reads it back as the same string, else quoted."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", s) and s.lower() not in YAML_WORDS:
        return s
    return q(s)


def yscalar(v):
    if isinstance(v, Val):
        if v.kind == "const":
            return yscalar(v.py)
        return q(v.text)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return q(str(v))


class Out:
    def __init__(self, file):
        self.file = os.path.basename(file)
        self.lines = []

    def add(self, indent, text, comment=None):
        line = " " * indent + text
        if comment:
            line += "  # " + comment
        self.lines.append(line)

    def tree(self, indent, v):
        """Writes a JSON-like tree as block YAML under a key already written."""
        if isinstance(v, dict):
            if not v:
                self.lines[-1] += " {}"
            for key, x in v.items():
                if isinstance(x, (dict, list)) and x:
                    self.add(indent, "%s:" % k(str(key)))
                    self.tree(indent + 2, x)
                else:
                    self.add(indent, "%s: %s" % (k(str(key)), self.leaf(x)))
        elif isinstance(v, list):
            if not v:
                self.lines[-1] += " []"
            for x in v:
                if isinstance(x, (dict, list)) and x:
                    self.add(indent, "-")
                    self.tree(indent + 2, x)
                else:
                    self.add(indent, "- %s" % self.leaf(x))

    def leaf(self, x):
        if isinstance(x, dict):
            return "{}"
        if isinstance(x, list):
            return "[]"
        return yscalar(x)


def where(out, node):
    return "%s:%d" % (out.file, node.lineno)


def emit_request(o, indent, r, first_prefix):
    c = ["%s:%d" % (o.file, r.node.lineno)]
    o.add(indent, "%s%s: %s" % (first_prefix, r.method, q(r.path)), " ".join(c))
    ind = indent + len(first_prefix)
    for n in r.notes:
        o.add(ind, "# note: " + n)
    if r.name is not None:
        o.add(ind, "name: %s" % q(r.name))
    for key, pairs in (("headers", r.headers), ("query", r.query)):
        if pairs:
            o.add(ind, "%s:" % key)
            for name, v in pairs:
                o.add(ind + 2, "%s: %s" % (k(name), q(v)))
    if r.json is not None:
        if isinstance(r.json, (dict, list)):
            o.add(ind, "json:")
            o.tree(ind + 2, r.json)
        else:
            o.add(ind, "json: %s" % yscalar(r.json))
    if r.form is not None:
        o.add(ind, "form:" + (" {}" if not r.form else ""))
        for name, v in r.form:
            o.add(ind + 2, "%s: %s" % (k(name), q(v)))
    if r.body is not None:
        o.add(ind, "body: %s" % q(r.body))
    if r.timeout_ms is not None:
        o.add(ind, "timeout: %s" % r.timeout_ms)
    if r.follow is not None:
        o.add(ind, "follow_redirects: %s" % ("true" if r.follow else "false"))
    if r.captures:
        o.add(ind, "capture:")
        for var, spec in r.captures:
            o.add(ind + 2, "%s: %s" % (var, q(spec)))
    if r.expect:
        o.add(ind, "expect:")
        e = r.expect
        if "status" in e:
            st = e["status"]
            o.add(ind + 2, "status: %s" % (st[0] if len(st) == 1 else
                                           "[%s]" % ", ".join(str(x) for x in st)))
        if "body_contains" in e:
            o.add(ind + 2, "body_contains: %s" % q(e["body_contains"]))
        if "json" in e:
            o.add(ind + 2, "json:")
            for path, v in e["json"]:
                o.add(ind + 4, "%s: %s" % (q(path), yscalar(v)))
        if "max_duration" in e:
            o.add(ind + 2, "max_duration: %s" % e["max_duration"])


def emit_gap(o, indent, g, file):
    o.add(indent, "# not converted (%s:%d:%d): %s %s %s" % (os.path.basename(file), g.line,
                                                           g.col, g.what, DASH, g.instead))


def scale_weights(tasks):
    """Weights of flattened TaskSet tasks are (parent, own, total): make all integers."""
    totals = [t.weight[2] for t in tasks if isinstance(t, Task) and isinstance(t.weight, tuple)]
    lcm = 1
    for x in totals:
        lcm = lcm * x // gcd(lcm, x)
    for t in tasks:
        if not isinstance(t, Task):
            continue
        if isinstance(t.weight, tuple):
            w, sw, total = t.weight
            t.weight = w * sw * (lcm // total)
        else:
            t.weight = t.weight * lcm
    ws = [t.weight for t in tasks if isinstance(t, Task) and t.weight]
    g = 0
    for x in ws:
        g = gcd(g, x)
    if g > 1:
        for t in tasks:
            if isinstance(t, Task):
                t.weight //= g


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def emit(users, file, args, gaps):
    o = Out(file)
    o.add(0, "# converted from %s by barrage import-locust" % o.file)
    o.add(0, "# check it with: barrage validate SCENARIO")
    base = os.path.splitext(os.path.basename(file))[0]
    o.add(0, "name: %s" % q(base))
    hosts = {u.host for u in users if u.host}
    host = args.host or (hosts.pop() if len(hosts) == 1 else None)
    if host:
        o.add(0, "host: %s" % q(host))
    load = []
    if args.users is not None:
        load.append("users: %d" % args.users)
    if args.spawn_rate is not None:
        load.append("spawn_rate: %s" % json.dumps(args.spawn_rate))
    if args.run_time is not None:
        load.append("duration: %s" % args.run_time)
    if load:
        o.add(0, "load: {%s}" % ", ".join(load))
    for g in [g for g in gaps if g.owner is None]:
        emit_gap(o, 0, g, file)
    o.add(0, "users:")
    for u in users:
        u_gaps = [g for g in u.gaps if isinstance(g, Gap)]
        tasks = [t for t in u.tasks if isinstance(t, Task)]
        if not tasks:
            o.add(2, "# user class %s (%s) left out: no task converted" % (u.name, where(o, u.node)))
            for g in u_gaps + [t for t in u.tasks if isinstance(t, Gap)]:
                emit_gap(o, 2, g, file)
            continue
        o.add(2, "- name: %s" % q(u.name), "%s class %s" % (where(o, u.node), u.name))
        for n in u.notes:
            o.add(4, "# note: " + n)
        for g in u_gaps:
            emit_gap(o, 4, g, file)
        o.add(4, "weight: %d" % u.weight)
        if u.think:
            o.add(4, "think: %s" % u.think)
        if u.host and len(hosts | {u.host}) > 1 and not args.host:
            o.add(4, "# note: host %s: its paths below are absolute URLs" % u.host)
        if u.vars:
            o.add(4, "vars:")
            for n, t in u.vars:
                o.add(6, "%s: %s" % (n, q(t)))
        if u.headers:
            o.add(4, "headers:")
            for name, v in u.headers:
                o.add(6, "%s: %s" % (k(name), q(v)))
        for key, reqs in (("on_start", u.on_start), ("on_stop", u.on_stop)):
            if not reqs:
                continue
            o.add(4, key + ":")
            for r in reqs:
                if isinstance(r, Gap):
                    emit_gap(o, 6, r, file)
                else:
                    emit_request(o, 6, r, "- ")
        o.add(4, "tasks:")
        for t in u.tasks:
            if isinstance(t, Gap):
                emit_gap(o, 6, t, file)
                continue
            reqs = [s for s in t.steps if isinstance(s, Req)]
            if len(t.steps) == 1 and reqs:
                o.add(6, "- weight: %d" % t.weight, "%s %s" % (where(o, t.node), t.name))
                for n in t.notes:
                    o.add(8, "# note: " + n)
                emit_request(o, 8, reqs[0], "")
            else:
                o.add(6, "- weight: %d" % t.weight, "%s %s" % (where(o, t.node), t.name))
                for n in t.notes:
                    o.add(8, "# note: " + n)
                o.add(8, "name: %s" % q(t.name))
                o.add(8, "steps:")
                for s in t.steps:
                    if isinstance(s, Gap):
                        emit_gap(o, 10, s, file)
                    else:
                        emit_request(o, 10, s, "- ")
    return "\n".join(o.lines) + "\n"


def absolutize(users, args):
    """A class whose host differs from the scenario's gets absolute URLs."""
    hosts = {u.host for u in users if u.host}
    if args.host or len(hosts) <= 1:
        return
    for u in users:
        if not u.host:
            continue
        reqs = list(r for r in u.on_start if isinstance(r, Req))
        for t in u.tasks:
            if isinstance(t, Task):
                reqs.extend(r for r in t.steps if isinstance(r, Req))
        for r in reqs:
            if r.path.startswith("/"):
                r.path = u.host.rstrip("/") + r.path


# --------------------------------------------------------------------------- command line

def run_time(text):
    """Locust's --run-time (300s, 20m, 3h, 1h30m, or bare seconds) as barrage writes it."""
    if re.fullmatch(r"\d+", text):
        return text + "s"
    if re.fullmatch(r"(\d+(\.\d+)?(ms|s|m|h))+", text):
        return text
    raise argparse.ArgumentTypeError("wants a duration like 30s, 20m, 1h30m (got '%s')" % text)


def positive_int(text):
    try:
        v = int(text)
    except ValueError:
        v = 0
    if v < 1:
        raise argparse.ArgumentTypeError("wants an integer >= 1 (got '%s')" % text)
    return v


def positive_float(text):
    try:
        v = float(text)
    except ValueError:
        v = 0
    if not v > 0 or v != v or v == float("inf"):
        raise argparse.ArgumentTypeError("wants a number > 0 (got '%s')" % text)
    return int(v) if v == int(v) else v


def parse_args(argv):
    p = argparse.ArgumentParser(prog="barrage import-locust",
                                description="Convert a Locust file into a barrage scenario.")
    p.add_argument("locustfile")
    p.add_argument("-o", "--output", help="write the scenario here (default: stdout)")
    p.add_argument("--partial", action="store_true",
                   help="write what converts, with a comment at each gap (exit 0)")
    p.add_argument("-u", "--users", type=positive_int)
    p.add_argument("-r", "--spawn-rate", type=positive_float)
    p.add_argument("-t", "--run-time", type=run_time)
    p.add_argument("-H", "--host")
    return p.parse_args(argv)


def convert_text(source, file, args):
    """Returns (yaml text or None, [message lines])."""
    try:
        tree = ast.parse(source, filename=file)
    except SyntaxError as e:
        g = Gap(None, "Python syntax error: %s" % e.msg,
                "fix the file so that python3 can parse it")
        g.line, g.col = e.lineno or 0, e.offset or 0
        return None, [g.text(file)]
    conv = Converter(file, tree)
    users = conv.convert()
    for g in conv.gaps:
        g.owner = None
    for u in users:
        for g in u.gaps:
            g.owner = u
        for t in u.on_start + u.on_stop + u.tasks:
            if isinstance(t, Gap):
                t.owner = u
            if isinstance(t, Task):
                for s in t.steps:
                    if isinstance(s, Gap):
                        s.owner = u
        scale_weights(u.tasks)
    absolutize(users, args)
    gaps = sorted(conv.gaps, key=lambda g: (g.line, g.col))
    msgs = [g.text(file) for g in gaps]
    if not users and not gaps:
        g = Gap(tree, "no HttpUser or FastHttpUser class", "define one")
        g.line, g.col = 1, 1
        msgs.append(g.text(file))
        gaps.append(g)
        g.owner = None
    if gaps and not args.partial:
        return None, msgs
    if not any(any(isinstance(t, Task) for t in u.tasks) for u in users):
        msgs.append("%s: not converted: no user class with a task left %s nothing to write"
                    % (file, DASH))
        return None, msgs
    return emit(users, file, args, gaps), msgs


def main(argv):
    args = parse_args(argv)
    try:
        with open(args.locustfile, encoding="utf-8") as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print("barrage: error: %s: cannot read: %s" % (args.locustfile,
                                                       getattr(e, "strerror", None) or e),
              file=sys.stderr)
        return 2
    try:
        text, msgs = convert_text(source, args.locustfile, args)
    except RecursionError:
        print("%s: not converted: expressions nested too deeply %s simplify the file"
              % (args.locustfile, DASH), file=sys.stderr)
        return 2
    except Exception:  # a converter bug: say so, with the trace, and keep exit 1 for thresholds
        traceback.print_exc()
        print("barrage: error: import-locust failed on %s (a bug: please report it with the "
              "file)" % args.locustfile, file=sys.stderr)
        return 2
    for m in msgs:
        print(m, file=sys.stderr)
    if text is None:
        if msgs and not args.partial:
            print("barrage: %d construct%s not converted; nothing written (--partial writes "
                  "the rest)" % (len(msgs), "" if len(msgs) == 1 else "s"), file=sys.stderr)
        return 2
    if args.output:
        try:
            tmp = args.output + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, args.output)
        except OSError as e:
            print("barrage: error: %s: cannot write: %s" % (args.output, e.strerror),
                  file=sys.stderr)
            return 2
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
