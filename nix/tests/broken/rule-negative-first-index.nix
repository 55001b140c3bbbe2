# expect: enrollmentRules.workers-more.assign.firstIndex: expected a non-negative integer, got -1
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-more" then r // { assign = r.assign // { firstIndex = -1; }; } else r)
    lab.enrollmentRules;
})
