-- Two touches pandoc's DOCX writer needs from the house style:
-- * paragraph numbers stay literal text (never Word numbering); a tab after each one jumps to
--   the hanging indent of the paragraph style, so that every line of the text aligns;
-- * words in Armenian or Georgian script get a character style naming a face that has them.
local TAB = pandoc.RawInline("openxml", "<w:r><w:tab/></w:r>")

local SCRIPTS = {
  { style = "Armenian Text", ranges = { { 0x0530, 0x058F }, { 0xFB13, 0xFB17 } } },
  { style = "Georgian Text", ranges = { { 0x10A0, 0x10FF }, { 0x1C90, 0x1CBF }, { 0x2D00, 0x2D2F } } },
}

local function script_style(text)
  for _, code in utf8.codes(text) do
    for _, script in ipairs(SCRIPTS) do
      for _, range in ipairs(script.ranges) do
        if code >= range[1] and code <= range[2] then
          return script.style
        end
      end
    end
  end
  return nil
end

function Str(element)
  local style = script_style(element.text)
  if style then
    return pandoc.Span({ element }, pandoc.Attr("", {}, { { "custom-style", style } }))
  end
end

function Inlines(inlines)
  local result = pandoc.Inlines({})
  local skip_space = false
  for _, item in ipairs(inlines) do
    if item.t == "Span" and item.classes:includes("paragraph-number") then
      result:extend(item.content)
      result:insert(TAB)
      skip_space = true
    elseif skip_space and item.t == "Space" then
      skip_space = false
    else
      skip_space = false
      result:insert(item)
    end
  end
  return result
end
