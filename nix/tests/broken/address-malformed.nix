# expect: nodes.cp-1.addresses.mgmt.address: expected an IPv4 address, got "10.42.0.256"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // {
    cp-1 = lab.nodes.cp-1 // { addresses = lab.nodes.cp-1.addresses // { mgmt = { address = "10.42.0.256"; }; }; };
  };
})
