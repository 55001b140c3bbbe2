# expect: nodes.cp-2.rootDeviceHints.size: operator "=" is not allowed on size: Ironic reads "= 1700" as ">= 1700"; write ">= 1700" for at least 1700 GiB or "== 1700" (or 1700) for exactly 1700 GiB
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-2 = lab.nodes.cp-2 // { rootDeviceHints = { size = "= 1700"; }; }; };
})
