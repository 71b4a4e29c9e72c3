// Ad campaigns as code: ExoClick, Affise, Integr8, Topsort and Interchange resources, with a local sandbox of each network's API.
package adnetworks
