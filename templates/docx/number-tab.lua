-- Paragraph numbers stay literal text (never Word numbering); a tab after each one jumps to the
-- hanging indent of the paragraph style, so the text of every line aligns.
local TAB = pandoc.RawInline("openxml", "<w:r><w:tab/></w:r>")

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
