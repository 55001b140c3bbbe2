# expect: networks.storage.mtu: expected an integer in 576..9216, got 65000
import ../lab-with.nix (lab: {
  networks = lab.networks // { storage = lab.networks.storage // { mtu = 65000; }; };
})
