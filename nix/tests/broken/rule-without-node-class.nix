# expect: enrollmentRules.workers-epyc.assign.nodeClass: is required
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { assign = removeAttrs r.assign [ "nodeClass" ]; } else r)
    lab.enrollmentRules;
})
