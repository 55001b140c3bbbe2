# expect: enrollmentRules.anything.autoInstall: a rule that matches every machine
import ../lab-with.nix (lab: {
  enrollmentRules = lab.enrollmentRules ++ [
    { name = "anything"; assign = { nodeClass = "worker"; hostname = "any-{index}"; }; autoCommission = true; autoInstall = true; }
  ];
})
