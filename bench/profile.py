#!/usr/bin/env python3
"""Where a gateway's CPU and waits go, from a JFR recording (docs/benchmarks.md, "Profile").

  GATEWAY_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/storm.jfr,settings=profile,dumponexit=true" \
      STORM_INSTALLERS=2000 bench/run.sh storm
  python3 bench/profile.py /tmp/storm.jfr [--from HH:MM:SS]

Prints the execution samples per thread group, the share of samples whose stack contains each library
(a sample can count for several), and the longest thread parks per thread group and waiting site.
Needs the JDK's `jfr` tool on the PATH.
"""
import collections
import json
import subprocess
import sys

LIBRARIES = [("hibernate", "org/hibernate"), ("axon", "org/axonframework"), ("spring mvc", "org/springframework/web"),
             ("jackson", "com/fasterxml/jackson"), ("micrometer/observation", "io/micrometer"),
             ("ultracloud", "com/ultracloud"), ("tomcat", "org/apache/catalina"), ("coyote", "org/apache/coyote"),
             ("spring security", "org/springframework/security"), ("pgjdbc", "org/postgresql"), ("h2", "org/h2"),
             ("hikari", "com/zaxxer"), ("spring tx", "org/springframework/transaction"), ("ehcache", "org/ehcache")]


def events(path, types):
    out = subprocess.run(["jfr", "print", "--json", "--events", types, path], check=True, capture_output=True).stdout
    return json.loads(out)["recording"]["events"]


def group(thread):
    return thread.rstrip("0123456789-") if thread else "?"


def seconds(iso):
    s = iso.replace("PT", "").replace("S", "")
    if "M" in s:
        m, s = s.split("M")
        return float(m) * 60 + float(s or 0)
    return float(s or 0)


def main():
    path = sys.argv[1]
    since = sys.argv[sys.argv.index("--from") + 1] if "--from" in sys.argv else "00:00:00"
    samples = [e for e in events(path, "jdk.ExecutionSample")
               if e["values"].get("stackTrace") and e["values"]["startTime"][11:19] >= since]
    print(f"{len(samples)} execution samples from {since}")
    threads = collections.Counter(group(e["values"]["sampledThread"]["javaName"]) for e in samples)
    for name, n in threads.most_common(10):
        print(f"  {100 * n / len(samples):5.1f}%  {name}")
    libs = collections.Counter()
    for e in samples:
        stack = " ".join(f["method"]["type"]["name"] for f in e["values"]["stackTrace"]["frames"])
        for name, prefix in LIBRARIES:
            if prefix in stack:
                libs[name] += 1
    print("samples whose stack contains:")
    for name, n in libs.most_common():
        print(f"  {100 * n / len(samples):5.1f}%  {name}")
    parks = collections.Counter()
    for e in events(path, "jdk.ThreadPark"):
        if e["values"]["startTime"][11:19] < since:
            continue
        frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
        site = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in frames]
        site = [s for s in site if not s.startswith(("Unsafe.", "LockSupport.", "AbstractQueuedSync"))][:2]
        parks[group(e["values"]["eventThread"]["javaName"]) + " | " + " < ".join(site)] += seconds(e["values"]["duration"])
    print("thread parks (seconds summed over threads):")
    for site, s in parks.most_common(8):
        print(f"  {s:8.1f} s  {site}")


if __name__ == "__main__":
    main()
