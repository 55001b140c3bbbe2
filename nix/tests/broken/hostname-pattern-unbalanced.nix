# expect: enrollmentRules.workers-epyc.assign.hostname: unbalanced brace
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { assign = r.assign // { hostname = "worker-{index"; }; } else r)
    lab.enrollmentRules;
})
