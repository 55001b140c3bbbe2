# expect: enrollmentRules.workers-more.assign.hostname: unknown placeholder {index:2} in "wk-{index:2}" (allowed: {index}, or {index:0N}
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-more" then r // { assign = r.assign // { hostname = "wk-{index:2}"; }; } else r)
    lab.enrollmentRules;
})
