# expect: enrollmentRules.storage-hdd.match.disks[0].count: unknown attribute
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "storage-hdd" then r // { match = r.match // { disks = [ { count = 4; rotational = true; } ]; }; } else r)
    lab.enrollmentRules;
})
