# expect: enrollmentRules.workers-epyc.match.nics.minSpeed: unknown attribute
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { match = r.match // { nics = { minSpeed = 25000; }; }; } else r)
    lab.enrollmentRules;
})
