# expect: networks.storage.cidr: 10.42.0.128/25 overlaps network mgmt (10.42.0.0/24)
import ../lab-with.nix (lab: {
  networks = lab.networks // { storage = lab.networks.storage // { cidr = "10.42.0.128/25"; }; };
})
