# expect: networks.storage.cidr: host bits set in "10.43.0.1/24" (did you mean "10.43.0.0/24"?)
import ../lab-with.nix (lab: {
  networks = lab.networks // { storage = lab.networks.storage // { cidr = "10.43.0.1/24"; }; };
})
