# expect: nodes.cp-2.match.smbiosUuid: duplicate SMBIOS UUID "7c2a9e00-3f41-11ee-8000-3cecef6a1b20"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-2 = lab.nodes.cp-2 // { match.smbiosUuid = "7C2A9E00-3F41-11EE-8000-3CECEF6A1B20"; }; };
})
