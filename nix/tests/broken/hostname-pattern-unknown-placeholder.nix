# expect: enrollmentRules.workers-epyc.assign.hostname: unknown placeholder {idx}
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { assign = r.assign // { hostname = "worker-{idx}"; }; } else r)
    lab.enrollmentRules;
})
