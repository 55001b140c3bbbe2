# expect: enrollmentRules.workers-epyc.maxCount: expected a positive integer, got 0
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { maxCount = 0; } else r)
    lab.enrollmentRules;
})
