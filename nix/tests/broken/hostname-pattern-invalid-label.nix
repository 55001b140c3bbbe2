# expect: enrollmentRules.workers-epyc.assign.hostname: invalid hostname "Worker_1"
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { assign = r.assign // { hostname = "Worker_{index}"; }; } else r)
    lab.enrollmentRules;
})
