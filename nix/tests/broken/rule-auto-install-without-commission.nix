# expect: enrollmentRules.workers-epyc.autoInstall: autoInstall requires autoCommission = true
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-epyc" then r // { autoCommission = false; } else r)
    lab.enrollmentRules;
})
