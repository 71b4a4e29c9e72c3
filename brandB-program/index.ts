// Every network's objects, written by adnet-import (one file per network).
import "./affise-brandB";
import "./exoclick-brandB";
import "./integr8-brandB";
import "./interchange-brandB";
import "./topsort-brandB";
