# expect: enrollmentRules.storage-hdd.name: duplicate enrollment rule name "storage-hdd"
import ../lab-with.nix (lab: {
  enrollmentRules = lab.enrollmentRules ++ [
    ((builtins.head lab.enrollmentRules) // { assign = (builtins.head lab.enrollmentRules).assign // { hostname = "spare-{index}"; }; })
  ];
})
