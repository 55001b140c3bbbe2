# expect: enrollmentRules.storage-hdd.match.disks[1].minCount: expected a positive integer, got 0
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "storage-hdd"
      then r // { match = r.match // { disks = [ (builtins.head r.match.disks) { minCount = 0; rotational = false; } ]; }; }
      else r)
    lab.enrollmentRules;
})
