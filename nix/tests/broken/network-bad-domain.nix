# expect: networks.mgmt.domain: invalid domain "Mgmt_Lab.example"
import ../lab-with.nix (lab: {
  networks = lab.networks // { mgmt = lab.networks.mgmt // { domain = "Mgmt_Lab.example"; }; };
})
