# expect: nodes.cp-1.rootDeviceHints.serial: operator "s>=" is not allowed on a string
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-1 = lab.nodes.cp-1 // { rootDeviceHints = { serial = "s>= 23083C1A4E5F"; }; }; };
})
