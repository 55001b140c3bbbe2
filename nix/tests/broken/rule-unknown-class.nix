# expect: enrollmentRules.workers-epyc.assign.nodeClass: unknown node class "workers"
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { assign = r.assign // { nodeClass = "workers"; }; } else r)
    lab.enrollmentRules;
})
