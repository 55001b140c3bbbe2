# expect: networks.mgmt.gateway: gateway 10.42.1.1 is outside 10.42.0.0/24
import ../lab-with.nix (lab: {
  networks = lab.networks // { mgmt = lab.networks.mgmt // { gateway = "10.42.1.1"; }; };
})
