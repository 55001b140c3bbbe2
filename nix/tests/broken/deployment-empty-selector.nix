# expect: hostDeployments.data-plane.selector: an empty selector would roll out to every machine
import ../lab-with.nix (lab: {
  hostDeployments = lab.hostDeployments // { data-plane = lab.hostDeployments.data-plane // { selector = { }; }; };
})
