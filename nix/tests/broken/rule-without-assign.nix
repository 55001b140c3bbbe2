# expect: enrollmentRules.storage-hdd.assign: is required
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "storage-hdd" then removeAttrs r [ "assign" ] else r)
    lab.enrollmentRules;
})
