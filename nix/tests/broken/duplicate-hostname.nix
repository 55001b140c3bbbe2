# expect: nodes.cp-2.hostname: duplicate hostname "cp-1" (already used by nodes.cp-1.hostname)
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-2 = lab.nodes.cp-2 // { hostname = "cp-1"; }; };
})
