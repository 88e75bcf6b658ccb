-- Lastmile's tag profile for tilemaker: what a driver needs to read the map at a glance.
-- Five layers: road (class = the highway tag, name = the local name), building, water,
-- land (parks, woods, fields, residential areas) and place (village and town names).

node_keys = { "place" }

local places = { city = true, town = true, village = true, hamlet = true, suburb = true, neighbourhood = true }

function node_function(node)
  local place = node:Find("place")
  if places[place] then
    node:Layer("place", false)
    node:Attribute("class", place)
    node:Attribute("name", node:Find("name"))
  end
end

-- Land cover classes the style colours, by the tag that says it.
local land_by_landuse = {
  residential = "residential", retail = "residential", commercial = "residential",
  industrial = "industrial", farmland = "farmland", meadow = "grass", grass = "grass",
  forest = "wood", cemetery = "grass", allotments = "grass", recreation_ground = "park",
}
local land_by_leisure = { park = "park", garden = "park", pitch = "park", playground = "park" }
local land_by_natural = { wood = "wood", scrub = "wood", grassland = "grass", heath = "grass" }

function way_function(way)
  local highway = way:Find("highway")
  local closed = way:IsClosed()
  if highway ~= "" and highway ~= "proposed" and highway ~= "construction" then
    if way:Find("area") ~= "yes" then
      way:Layer("road", false)
      way:Attribute("class", highway)
      local name = way:Find("name")
      if name ~= "" then way:Attribute("name", name) end
    end
    return
  end
  if way:Find("building") ~= "" and closed then
    way:Layer("building", true)
    return
  end
  local natural = way:Find("natural")
  local waterway = way:Find("waterway")
  if natural == "water" or way:Find("landuse") == "reservoir" or waterway == "riverbank" then
    if closed then
      way:Layer("water", true)
      way:Attribute("class", "lake")
    end
    return
  end
  if waterway == "river" or waterway == "stream" or waterway == "canal" then
    way:Layer("water", false)
    way:Attribute("class", waterway)
    return
  end
  if not closed then return end
  local class = land_by_landuse[way:Find("landuse")] or land_by_leisure[way:Find("leisure")]
    or land_by_natural[natural]
  if class then
    way:Layer("land", true)
    way:Attribute("class", class)
  end
end
