# expect: nodes.cp-3.match.mac: "01:00:5e:00:00:fb" is not a unicast hardware address
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-3 = lab.nodes.cp-3 // { match.mac = "01:00:5e:00:00:fb"; }; };
})
