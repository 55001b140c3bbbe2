# expect: cluster.deployerUrl: expected an http(s) URL
import ../lab-with.nix (lab: {
  cluster = lab.cluster // { deployerUrl = "deployer.lab:8443"; };
})
