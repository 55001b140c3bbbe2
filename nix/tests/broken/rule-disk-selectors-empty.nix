# expect: enrollmentRules.storage-hdd.match.disks: give at least one disk selector
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "storage-hdd" then r // { match = r.match // { disks = [ ]; }; } else r)
    lab.enrollmentRules;
})
