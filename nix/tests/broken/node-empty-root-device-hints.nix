# expect: nodes.cp-1.rootDeviceHints: at least one hint is required
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-1 = lab.nodes.cp-1 // { rootDeviceHints = { }; }; };
})
