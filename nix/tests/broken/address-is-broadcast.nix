# expect: nodes.cp-1.addresses.mgmt: address 10.42.0.255 is the network or broadcast address
import ../lab-with.nix (lab: {
  nodes = lab.nodes // {
    cp-1 = lab.nodes.cp-1 // { addresses = lab.nodes.cp-1.addresses // { mgmt = "10.42.0.255"; }; };
  };
})
