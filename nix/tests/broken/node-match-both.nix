# expect: nodes.cp-1.match: give exactly one of smbiosUuid or mac
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-1 = lab.nodes.cp-1 // { match = lab.nodes.cp-1.match // { mac = "3c:ec:ef:6a:1b:20"; }; }; };
})
