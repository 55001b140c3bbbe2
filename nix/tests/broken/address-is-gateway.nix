# expect: nodes.cp-1.addresses.mgmt: address 10.42.0.1 is the gateway
import ../lab-with.nix (lab: {
  nodes = lab.nodes // {
    cp-1 = lab.nodes.cp-1 // { addresses = lab.nodes.cp-1.addresses // { mgmt = "10.42.0.1"; }; };
  };
})
