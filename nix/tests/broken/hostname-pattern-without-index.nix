# expect: enrollmentRules.workers-epyc.assign.hostname: hostname pattern "worker" has no {index} placeholder
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { assign = r.assign // { hostname = "worker"; }; } else r)
    lab.enrollmentRules;
})
