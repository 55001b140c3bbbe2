# expect: pools.Rack_A: invalid name "Rack_A"
import ../lab-with.nix (lab: {
  pools = lab.pools // { Rack_A = { }; };
})
