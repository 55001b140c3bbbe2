# expect: networks.storage.vlan: expected an integer in 1..4094, got 4095
import ../lab-with.nix (lab: {
  networks = lab.networks // { storage = lab.networks.storage // { vlan = 4095; }; };
})
