#!/usr/bin/env python3
"""Runs the Pulumi CLI ($ADNET_PULUMI_REAL) and appends one JSON line per
invocation to $ADNET_PULUMI_RUSAGE: the command, its wall time, the CPU time
of the CLI process itself and of the children it waited for (the
dynamic-provider host). The figures are read from /proc while the process is
a zombie (waitid with WNOWAIT), so they are complete. Used by `npm run bench`.
"""
import json, os, signal, sys, time

real = os.environ["ADNET_PULUMI_REAL"]
log = os.environ.get("ADNET_PULUMI_RUSAGE")
args = sys.argv[1:]
profile = os.environ.get("ADNET_PULUMI_PROFILE")
if profile and args[:1] == ["up"]:
    args = ["--profiling", profile] + args
t0 = time.time()
pid = os.fork()
if pid == 0:
    os.execv(real, [real] + args)
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, lambda n, _f: os.kill(pid, n))
while True:
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        break
    except InterruptedError:
        continue
t1 = time.time()
record = {"args": [a for a in sys.argv[1:] if not a.startswith("-")][:2], "wallMs": round((t1 - t0) * 1000)}
try:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tck = os.sysconf("SC_CLK_TCK")
    utime, stime, cutime, cstime = (int(fields[i]) * 1000 // tck for i in (11, 12, 13, 14))
    record.update({"cpuMs": utime + stime, "userMs": utime, "sysMs": stime, "childrenCpuMs": cutime + cstime})
except OSError:
    pass
_, status = os.waitpid(pid, 0)
if log:
    with open(log, "a") as f:
        f.write(json.dumps(record) + "\n")
sys.exit(os.waitstatus_to_exitcode(status))
