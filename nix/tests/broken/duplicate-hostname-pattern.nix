# expect: enrollmentRules.workers-epyc.assign.hostname: duplicate hostname pattern "node-{index}"
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: r // { assign = r.assign // { hostname = "node-{index}"; }; maxCount = null; })
    lab.enrollmentRules;
})
